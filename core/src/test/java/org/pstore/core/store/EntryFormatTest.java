package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class EntryFormatTest {
    private final CRC32C crc = new CRC32C();

    @Test
    void roundTripsEveryField() {
        byte[] buf = new byte[256];
        byte[] data = {1, 2, 3, 4, 5};
        int size = EntryFormat.encode(buf, EntryFormat.SET, 11L, -22L, "dump-type0-1", 7, data, 1, 3, crc);

        assertThat(size).isEqualTo(EntryFormat.size(12, 3));
        assertThat(EntryFormat.validate(buf, size, crc)).isEqualTo(EntryFormat.SET);
        assertThat(EntryFormat.nsMsb(buf)).isEqualTo(11L);
        assertThat(EntryFormat.nsLsb(buf)).isEqualTo(-22L);
        assertThat(EntryFormat.nameLength(buf)).isEqualTo(12);
        assertThat(EntryFormat.attributes(buf)).isEqualTo(7);
        assertThat(EntryFormat.dataLength(buf)).isEqualTo(3);
        assertThat(new String(buf, EntryFormat.HEADER, 12)).isEqualTo("dump-type0-1");
        assertThat(buf[EntryFormat.dataOffset(buf)]).isEqualTo((byte) 2);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] buf = new byte[128];
        int size = EntryFormat.encode(buf, EntryFormat.SET, 1, 2, "name", 0, new byte[] {9, 9, 9}, 0, 3, crc);
        for (int bit = 0; bit < size * 8; bit++) {
            buf[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(EntryFormat.validate(buf, size, crc)).as("bit %d flipped", bit).isZero();
            buf[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertThat(EntryFormat.validate(buf, size, crc)).isEqualTo(EntryFormat.SET);
    }

    @Test
    void truncatedOrJunkEntriesAreInvalid() {
        byte[] buf = new byte[128];
        int size = EntryFormat.encode(buf, EntryFormat.SET, 1, 2, "name", 0, new byte[] {9, 9, 9}, 0, 3, crc);
        for (int cut = 0; cut < size; cut++) {
            assertThat(EntryFormat.validate(buf, cut, crc)).as("cut at %d", cut).isZero();
        }
        assertThat(EntryFormat.validate(new byte[64], 64, crc)).isZero();
    }
}
