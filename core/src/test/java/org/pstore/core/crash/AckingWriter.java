package org.pstore.core.crash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.pstore.core.Attributes;
import org.pstore.core.Mode;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.VariableOps;
import org.pstore.core.ops.RuntimeServices;

/**
 * Child JVM: writes variables as fast as it can and prints "ack N" after each set that returned OK, until
 * it is killed. Args: store dir, mode, number of distinct names, capacity in KiB (a few names in a small
 * store means constant replacement and compaction).
 */
public final class AckingWriter {
    public static final Namespace NS = Namespace.of(UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-190817161514"), "kill-test");

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Mode mode = Mode.parse(args[1]);
        int names = Integer.parseInt(args[2]);
        RuntimeServices s = RuntimeServices.open(config(dir, Integer.parseInt(args[3])).mode(mode).build());
        VariableOps ops = s.ops();
        System.out.println("ready");
        System.out.flush();
        for (long i = 0; ; i++) {
            byte[] value = value(i);
            Status st = ops.set(NS, name(i, names), Attributes.DEFAULT, value, 0, value.length);
            if (st != Status.OK) {
                System.out.println("fail " + i + " " + st);
                System.out.flush();
                System.exit(2);
            }
            System.out.println("ack " + i);
            System.out.flush();
        }
    }

    public static StoreConfig.Builder config(Path dir, int capacityKiB) {
        return StoreConfig.builder(dir).capacity(capacityKiB << 10).reserve(capacityKiB << 7).maxVariableSize(4096);
    }

    public static String name(long i, int names) {
        return "k" + (i % names);
    }

    public static byte[] value(long i) {
        return ("value-" + i + "-" + "x".repeat((int) (i % 700))).getBytes(StandardCharsets.US_ASCII);
    }
}
