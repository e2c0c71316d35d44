package org.pstore.torture;

import java.nio.file.Path;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;

/**
 * Writes sequence-numbered pmsg messages and console lines as fast as it can, from {@code first} on, and says
 * {@code ack N} on stdout once message N is acknowledged, until it is killed. Args: store dir, first, pmsg
 * budget in bytes, journal bound in bytes.
 */
public final class KillRoundsApp {
    public static void main(String[] args) {
        Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).pmsgBytes(Long.parseLong(args[2])).journalBytes(Long.parseLong(args[3]))
                .build());
        StringBuilder acks = new StringBuilder();
        for (long n = Long.parseLong(args[1]); ; n++) {
            Pstore.pmsg("seq " + n + " " + "x".repeat((int) (n % 37)));
            Pstore.log("line " + n);
            acks.setLength(0);
            System.out.print(acks.append("ack ").append(n).append('\n'));
            System.out.flush();
        }
    }
}
