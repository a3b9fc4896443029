package io.replisim.azure.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * The Azure SDK's own retry policy for an {@link AzuriteBlobStorage} (its {@code RequestRetryOptions},
 * fixed delay): a request that got 429, 500 or 503, a network error or a timeout is sent again,
 * up to {@code maxTries} times in all; 403 and the other 4xx answers are never retried.
 *
 * @param maxTries how many times one request may be sent (1: no retries)
 * @param delay    the pause before each retry; real time, so keep it short: it decides nothing
 */
public record SdkRetryPolicy(int maxTries, Duration delay) {

    /** One try per request: every failure reaches the caller. */
    public static final SdkRetryPolicy OFF = new SdkRetryPolicy(1, Duration.ZERO);

    /**
     * replisim's runs on {@code azurite}: the SDK's default number of tries (4), with a fixed
     * 10 ms pause instead of its exponential 4 s back-off, since the simulation's time does not
     * pass during a storage call anyway.
     */
    public static final SdkRetryPolicy RUNS = new SdkRetryPolicy(4, Duration.ofMillis(10));

    public SdkRetryPolicy {
        Objects.requireNonNull(delay, "delay");
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries " + maxTries + " must be at least 1");
        }
        if (delay.isNegative() || (maxTries > 1 && delay.toMillis() < 1)) {
            throw new IllegalArgumentException("the delay between retries must be at least 1 ms, not " + delay);
        }
    }

    /** How many times the SDK may send a request again after its first try. */
    public int maxRetries() {
        return maxTries - 1;
    }
}
