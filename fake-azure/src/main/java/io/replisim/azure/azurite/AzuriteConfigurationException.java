package io.replisim.azure.azurite;

/**
 * A {@code replisim.azurite.*} system property or {@code REPLISIM_AZURITE_*} environment variable
 * that is not understood; the message names the setting, its value and what was expected, e.g.
 * {@code environment variable REPLISIM_AZURITE_LAUNCHER=contaner: expected auto, npm or container}.
 * Bad input, not a failure of Azurite.
 */
public final class AzuriteConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AzuriteConfigurationException(String message) {
        super(message);
    }
}
