package io.replisim.azure.azurite;

/**
 * The npm launcher found no installed {@code azurite} package; the message says where it looked
 * and how to install it. The one start failure that installing the package cures.
 */
public final class AzuriteNotInstalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AzuriteNotInstalledException(String message) {
        super(message);
    }
}
