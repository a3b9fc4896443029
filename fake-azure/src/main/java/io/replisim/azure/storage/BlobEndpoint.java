package io.replisim.azure.storage;

import java.net.URI;
import java.util.Objects;

/**
 * Where a storage account's Blob service answers and the Shared Key that signs requests to it.
 * The key is a secret: it is readable only inside this package (by the SDK-backed storage) and
 * never rendered by {@link #toString()}, so logging an endpoint cannot leak it.
 */
public final class BlobEndpoint {

    /** Azurite's well-known development account. */
    public static final String DEV_ACCOUNT_NAME = "devstoreaccount1";

    /** Azurite's well-known development key: public knowledge, still kept out of every rendering. */
    private static final String DEV_ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final URI url;
    private final String accountName;
    private final String accountKey;

    private BlobEndpoint(URI url, String accountName, String accountKey) {
        this.url = Objects.requireNonNull(url, "url");
        this.accountName = Objects.requireNonNull(accountName, "accountName");
        this.accountKey = Objects.requireNonNull(accountKey, "accountKey");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("blob endpoint " + url + " is not an http(s) URL");
        }
    }

    /**
     * The development account of an Azurite listening on {@code host:port}, path-style
     * ({@code http://host:port/devstoreaccount1}) as Azurite expects.
     */
    public static BlobEndpoint azurite(String host, int port) {
        return new BlobEndpoint(URI.create("http://" + host + ":" + port + "/" + DEV_ACCOUNT_NAME), DEV_ACCOUNT_NAME,
                DEV_ACCOUNT_KEY);
    }

    /** An account at {@code url} (path-style for emulators) signed with {@code accountKey} (base64). */
    public static BlobEndpoint of(URI url, String accountName, String accountKey) {
        return new BlobEndpoint(url, accountName, accountKey);
    }

    /** The same account and key reached through another address, e.g. a fault proxy. */
    public BlobEndpoint withUrl(URI newUrl) {
        return new BlobEndpoint(newUrl, accountName, accountKey);
    }

    /** The same address with another key: for tests of authentication failures. */
    public BlobEndpoint withAccountKey(String newKey) {
        return new BlobEndpoint(url, accountName, newKey);
    }

    /** The Blob service URL, e.g. {@code http://127.0.0.1:10000/devstoreaccount1}. */
    public URI url() {
        return url;
    }

    public String accountName() {
        return accountName;
    }

    /** The scheme, host and port: what a proxy forwards to. */
    public URI origin() {
        return URI.create(url.getScheme() + "://" + url.getAuthority());
    }

    /** The secret; package-private on purpose. */
    String accountKey() {
        return accountKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobEndpoint other && url.equals(other.url) && accountName.equals(other.accountName)
                && accountKey.equals(other.accountKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, accountName);
    }

    @Override
    public String toString() {
        return "BlobEndpoint[" + url + ", account " + accountName + ", key ****]";
    }
}
