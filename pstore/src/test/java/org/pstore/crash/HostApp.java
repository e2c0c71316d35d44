package org.pstore.crash;

import java.nio.file.Path;

import org.pstore.Pstore;
import org.pstore.PstoreConfig;

/**
 * An application embedding pstore as the README says, with whatever SLF4J binding its class path has:
 * boots, writes a pmsg, logs one line through SLF4J itself, and exits normally. Args: store dir.
 */
public final class HostApp {
    public static void main(String[] args) {
        Pstore.boot(PstoreConfig.builder().dir(Path.of(args[0])).build());
        Pstore.pmsg("host started");
        org.slf4j.LoggerFactory.getLogger("host.app").info("the host's own line");
        System.out.println("host done");
    }
}
