package org.pstore.backend;

import java.util.UUID;

import org.pstore.core.Namespace;

/**
 * How the efi backend names its variables, in the spirit of Linux efi-pstore's
 * {@code dump-type<T>-<part>-<count>-<time>-<C|D>}: {@code dump-type<T>-<part>-<count>-<id>-<C|D>}, where the
 * record id stands in for the time (the time is in the record itself, and the id is unique where seconds
 * are not), and C/D says compressed or not. All in one namespace, as efi-pstore's LINUX_EFI_CRASH_GUID.
 */
public final class VariableNaming {
    /** The namespace of every record variable. */
    public static final Namespace DUMP = Namespace.of(UUID.fromString("cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0"), "pstore-dump");
    private static final String PREFIX = "dump-type";

    private VariableNaming() {
    }

    /** Writes the name into {@code out} (cleared first). Allocation-free when {@code out} has the capacity. */
    public static StringBuilder format(StringBuilder out, int type, int part, int count, long id, boolean compressed) {
        out.setLength(0);
        return out.append(PREFIX).append(type).append('-').append(part).append('-').append(count).append('-')
                .append(id).append('-').append(compressed ? 'C' : 'D');
    }

    /** Whether {@code name} has the form of a record variable's name (no allocation). */
    public static boolean isRecordName(CharSequence name) {
        int n = name.length();
        if (n < PREFIX.length() + 9) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (name.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        char last = name.charAt(n - 1);
        if ((last != 'C' && last != 'D') || name.charAt(n - 2) != '-') {
            return false;
        }
        int dashes = 0;
        for (int i = PREFIX.length(); i < n - 2; i++) {
            char c = name.charAt(i);
            if (c == '-') {
                dashes++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dashes == 3;
    }

    /** The fields of a record variable's name, or null when the name is not one. */
    public static Parsed parse(CharSequence name) {
        String s = name.toString();
        if (!s.startsWith(PREFIX)) {
            return null;
        }
        String[] f = s.substring(PREFIX.length()).split("-");
        if (f.length != 5 || !(f[4].equals("C") || f[4].equals("D"))) {
            return null;
        }
        try {
            return new Parsed(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4].equals("C"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public record Parsed(int type, int part, int count, long id, boolean compressed) {
    }
}
