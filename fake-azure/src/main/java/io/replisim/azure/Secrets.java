package io.replisim.azure;

import java.util.regex.Pattern;

/**
 * Masks storage credentials in text that leaves our code (exception messages, logs, traces):
 * account keys in connection strings, SAS signatures and tokens, Shared Key authorization headers.
 * Applied to every message built from a service's or library's text, since such text may echo a
 * request back.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final Pattern[] PATTERNS = {
        // AccountKey=...; in connection strings (up to ';' or whitespace)
        Pattern.compile("(?i)(AccountKey=)[^;\\s\"']+"),
        Pattern.compile("(?i)(SharedAccessSignature=)[^;\\s\"']+"),
        // SAS query parameters: the signature is the secret, the rest says what it grants
        Pattern.compile("(?i)([?&;]sig=)[^&;\\s\"']+"),
        // Authorization: SharedKey account:signature
        Pattern.compile("(?i)(SharedKey(?:Lite)? [^:\\s]+:)[^\\s,\"'<]+"),
        // any other scheme (Bearer ...): the whole value
        Pattern.compile("(?i)(Authorization[\"']?\\s*[:=]\\s*[\"']?)(?!SharedKey)[^\\s,\"'<]+(?: [^\\s,\"'<]+)?"),
        // Azure's AuthenticationFailed detail quotes the computed signature
        Pattern.compile("(?i)(MAC signature found in the HTTP request ')[^']+"),
    };

    private Secrets() {
    }

    /** {@code text} with every credential-looking part masked; null stays null. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (Pattern p : PATTERNS) {
            result = p.matcher(result).replaceAll("$1" + MASK);
        }
        return result;
    }
}
