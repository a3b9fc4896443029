package io.replisim.azure.vault;

/** What registers with a vault: a standalone Hyper-V host, or a VMM server managing hosts. */
public enum ServerKind {
    HYPERV_HOST,
    VMM_SERVER
}
