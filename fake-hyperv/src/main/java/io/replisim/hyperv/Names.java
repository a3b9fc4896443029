package io.replisim.hyperv;

import java.util.Locale;

/** Validation of the names that become folders and files on a volume. */
final class Names {

    private Names() {}

    /** A DNS label: what Hyper-V hosts, VMM servers and clusters are named with. */
    static String hostName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException(what + " must be 1-63 letters, digits or inner hyphens, got: "
                    + quote(name));
        }
        return name;
    }

    /** A name usable as one NTFS path element (VM folder, disk file name, volume label). */
    static String fileName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw new IllegalArgumentException(what + " must be 1-100 characters, got: " + quote(name));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || "<>:\"/\\|?*".indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + " must not contain control characters or any of"
                        + " <>:\"/\\|?*, got: " + quote(name));
            }
        }
        // NTFS silently strips trailing dots and spaces, so such names would alias others.
        if (name.endsWith(".") || name.endsWith(" ") || name.startsWith(" ")) {
            throw new IllegalArgumentException(what + " must not start with a space or end with a dot or space,"
                    + " got: " + quote(name));
        }
        return name;
    }

    /** Lookup key: Windows names are case-insensitive. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }
}
