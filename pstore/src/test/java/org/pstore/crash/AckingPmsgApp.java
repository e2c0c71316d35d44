package org.pstore.crash;

import java.nio.file.Path;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;
import org.pstore.core.Durability;
import org.pstore.core.Mode;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicAction;

/**
 * Writes pmsg messages and says "ack N" on stdout once each is acknowledged (one write system call each),
 * then says "panic" and panics: a syscall trace then shows what happened between a write and its
 * acknowledgement. Args: store dir, durability, mode, messages.
 */
public final class AckingPmsgApp {
    public static void main(String[] args) {
        Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).durability(Durability.parse(args[1]))
                .mode(Mode.parse(args[2])).panic(p -> p.action(PanicAction.HALT).exitStatus(CrashApp.EXIT)).build());
        int n = Integer.parseInt(args[3]);
        for (int i = 1; i <= n; i++) {
            Pstore.pmsg("message " + i);
            System.out.print("ack " + i + "\n");
            System.out.flush();
        }
        Pstore.log("INFO durable.app: the last line before the panic");
        System.out.print("panic\n");
        System.out.flush();
        Panic.panic("the crash record must be on the device too", null);
    }
}
