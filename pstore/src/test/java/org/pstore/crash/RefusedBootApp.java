package org.pstore.crash;

import java.nio.file.Path;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.PstoreException;

/** An application that runs on without pstore when boot refuses: prints why, in one line, and exits 3. */
public final class RefusedBootApp {
    public static void main(String[] args) {
        try {
            Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).build());
            System.out.println("booted");
        } catch (PstoreException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }
}
