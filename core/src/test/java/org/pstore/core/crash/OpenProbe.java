package org.pstore.core.crash;

import java.io.IOException;
import java.nio.file.Path;

import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.VariableStore;

/**
 * Child JVM: tries to open a store for writing and says how it went: "opened", or "refused STATUS message".
 * With "hold" it keeps the store open until its stdin closes (or it is killed).
 */
public final class OpenProbe {
    public static void main(String[] args) throws IOException {
        try (VariableStore store = VariableStore.open(StoreConfig.builder(Path.of(args[0])).capacity(256 << 10)
                .reserve(32 << 10).maxVariableSize(16 << 10).build())) {
            System.out.println("opened");
            System.out.flush();
            if (args.length > 1 && args[1].equals("hold")) {
                while (System.in.read() >= 0) {
                    // until the parent closes our stdin
                }
            }
        } catch (StoreException e) {
            System.out.println("refused " + e.status() + " " + e.getMessage());
        }
    }
}
