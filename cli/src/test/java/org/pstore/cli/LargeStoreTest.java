package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.core.StoreSpace;
import org.pstore.panic.DumpReason;

/** A store booted bigger than the default: erase and archive open it with the sizes it was made with. */
class LargeStoreTest {
    private static final int MESSAGES = 1300;

    @TempDir
    Path tmp;
    Path store;
    long firstPmsg;

    @BeforeEach
    void writeTwentyMebibytesOfPmsg() {
        store = tmp.resolve("store");
        Boot.Booted b = Boot.open(PstoreConfig.builder().dir(store).capacity(64 << 20).pmsgBytes(24 << 20).build());
        try {
            byte[] message = new byte[16_000];
            java.util.Arrays.fill(message, (byte) 'x');
            for (int i = 0; i < MESSAGES; i++) {
                long id = b.pmsg().write(message, 0, message.length);
                if (i == 0) {
                    firstPmsg = id;
                }
            }
            b.ring().println("INFO app: the last line");
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
            b.console().drain();
            StoreSpace space = new StoreSpace();
            b.services().query(space);
            assertThat(space.used()).isGreaterThan(20L << 20);
        } finally {
            b.close();
        }
    }

    private Cli pstore(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--dir";
        all[args.length + 1] = store.toString();
        return Cli.run(all);
    }

    @Test
    void eraseUsesTheSizesTheStoreWasMadeWith() {
        Cli c = pstore("erase", Long.toString(firstPmsg));
        assertThat(c.status).as(c.toString()).isZero();
        assertThat(c.out.strip()).isEqualTo("erased 1 record");
        assertThat(pstore("list", "--type", "pmsg").out.lines().count()).isEqualTo(MESSAGES); // header + the others
    }

    @Test
    void archiveErasesWhatItCopiedAndASecondArchiveAddsNothing() throws Exception {
        Path to = tmp.resolve("archive");
        int records = pstore("list", "--json").out.split("\"name\"").length - 1;
        Cli first = pstore("archive", "--to", to.toString());
        assertThat(first.status).as(first.toString()).isZero();
        assertThat(first.out).contains("archived " + records + " records").contains("erased");
        assertThat(pstore("list").out.strip()).isEqualTo("no records");
        long files = count(to);

        Cli second = pstore("archive", "--to", to.toString());
        assertThat(second.status).as(second.toString()).isZero();
        assertThat(second.out).contains("archived 0 records");
        assertThat(count(to)).isEqualTo(files);
    }

    @Test
    void aBootNotToldOtherSizesKeepsTheStoresOwnAndTrimsNothing() throws Exception {
        Boot.Booted again = Boot.open(PstoreConfig.builder().dir(store).build());
        try {
            assertThat(again.config().capacity()).isEqualTo(64 << 20);
            assertThat(again.config().pmsgBytes()).isEqualTo(24 << 20);
            again.pmsg().write(new byte[] {'y'}, 0, 1);
        } finally {
            again.close();
        }
        assertThat(pstore("list", "--type", "pmsg").out).contains("pmsg-efi-" + firstPmsg);
        Cli stat = pstore("stat", "--json");
        assertThat(stat.out).contains("\"capacity\" : " + (64 << 20));

        Boot.Booted told = Boot.open(PstoreConfig.builder().dir(store).capacity(56 << 20).build());
        try {
            assertThat(told.config().capacity()).as("told a new size: takes it").isEqualTo(56 << 20);
            assertThat(told.config().pmsgBytes()).as("not told: the store's own").isEqualTo(24 << 20);
        } finally {
            told.close();
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }
}
