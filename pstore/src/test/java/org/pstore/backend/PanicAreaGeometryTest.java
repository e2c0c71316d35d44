package org.pstore.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.core.store.Quarantine;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * Boot does not trust the panic area's header: an area whose geometry is not the configured one (a crafted
 * 1 GiB slot, 1 GiB x 2 slots, a few slots too many) is moved into the quarantine, never mapped, a new one
 * made, and the move recorded.
 */
class PanicAreaGeometryTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "slot {0} x {1}")
    @CsvSource({"1073741824, 1", "1073741824, 2", "8192, 64"})
    void aCraftedHeaderIsQuarantinedAndBootGoesOn(long slotSize, int slots) throws Exception {
        Path store = tmp.resolve("store");
        PstoreConfig config = PstoreConfig.builder().dir(store).kmsgBytes(16 << 10).recordSize(4 << 10).capacity(2 << 20)
                .reserve(512 << 10).build();
        Boot.open(config).close();
        Path area = store.resolve(PanicArea.FILE);
        long made = Files.size(area);
        try (FileChannel ch = FileChannel.open(area, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(PanicArea.MAGIC).putInt(PanicArea.VERSION).putInt((int) Math.min(Integer.MAX_VALUE, slotSize)).putInt(slots).flip();
            ch.write(head, 0);
        }

        Boot.Booted again = Boot.open(config);
        again.close();
        assertThat(Files.size(area)).as("a new area of the configured size").isEqualTo(made);
        try (Stream<Path> files = Files.list(store.resolve(Quarantine.DIR))) {
            List<Path> aside = files.filter(f -> f.getFileName().toString().endsWith("-panic-" + PanicArea.FILE)).toList();
            assertThat(aside).as("the crafted one kept aside, in the quarantine").hasSize(1);
            assertThat(Files.size(aside.get(0))).isEqualTo(made);
        }
        try (PstoreReader reader = PstoreReader.open(store)) {
            assertThat(reader.problems()).as("the reader does not believe the crafted header either")
                    .anyMatch(p -> p.contains("no valid header") || p.contains("where its header says"));
            List<PstoreRecord> healing = reader.records().stream().filter(r -> r.type() == RecordType.HEALING).toList();
            assertThat(healing).as("the damage is itself recorded").hasSize(1);
            assertThat(reader.payload(healing.get(0)).text()).contains("panic area " + PanicArea.FILE + " -> " + Quarantine.DIR + "/");
        }
    }
}
