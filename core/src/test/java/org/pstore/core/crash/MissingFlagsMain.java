package org.pstore.core.crash;

import java.nio.file.Path;

import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.VariableStore;

/** Child JVM started without the Chronicle flags: opening a store must fail with one clear line. */
public final class MissingFlagsMain {
    public static void main(String[] args) {
        try {
            VariableStore.open(StoreConfig.builder(Path.of(args[0])).build()).close();
            System.out.println("opened");
        } catch (StoreException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }
}
