package org.pstore.bench;

import org.pstore.core.store.JvmFlags;

/** Prints the JVM flags pstore needs on this Java, one per line: bench/run starts the runner with them. */
public final class JvmFlagsMain {
    private JvmFlagsMain() {
    }

    public static void main(String[] args) {
        for (String flag : JvmFlags.required()) {
            System.out.println(flag);
        }
    }
}
