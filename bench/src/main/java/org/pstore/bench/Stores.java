package org.pstore.bench;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;

/** Opening and removing the stores the benchmarks write: {@link Boot#open} only, nothing process-wide. */
final class Stores {
    /** Held so that the level set below stays in force (java.util.logging keeps loggers weakly). */
    private static final Logger PSTORE_LOG = Logger.getLogger("org.pstore");

    static {
        // Boot's "pstore store ...: legacy ops" INFO lines would be printed by every fork.
        PSTORE_LOG.setLevel(Level.WARNING);
    }

    private Stores() {
    }

    /** A store in a fresh temporary directory, configured by {@code edit} on top of a {@code dir}-only builder. */
    static Boot.Booted open(Path parent, java.util.function.UnaryOperator<PstoreConfig.Builder> edit) {
        return Boot.open(edit.apply(PstoreConfig.builder().dir(parent.resolve("store"))).build());
    }

    static void close(Boot.Booted booted) {
        if (booted != null) {
            booted.close();
        }
    }

    /** Printable ASCII, like a log message, {@code size} bytes. */
    static byte[] text(int size, long seed) {
        byte[] b = new byte[size];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        String words = "order accepted customer shipped invoice paid refund total items warehouse ";
        for (int i = 0; i < size; i++) {
            b[i] = (byte) words.charAt(r.nextInt(words.length()));
        }
        return b;
    }
}
