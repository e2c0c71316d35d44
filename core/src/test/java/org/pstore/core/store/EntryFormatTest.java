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

    /** The entry as the log writes it from parts: head, data, then the trailer that follows the head. */
    private static byte[] assemble(byte[] head, int headLength, byte[] data, int offset, int length) {
        byte[] entry = new byte[headLength + length + EntryFormat.TRAILER];
        System.arraycopy(head, 0, entry, 0, headLength);
        System.arraycopy(data, offset, entry, headLength, length);
        System.arraycopy(head, headLength, entry, headLength + length, EntryFormat.TRAILER);
        return entry;
    }

    @Test
    void aSetInPartsIsTheSameBytesAsAWholeOne() {
        byte[] data = {1, 2, 3, 4, 5, 6};
        byte[] whole = new byte[128];
        int size = EntryFormat.encode(whole, EntryFormat.SET, 11L, -22L, "dump-type1-0-0-5-D", 7, data, 1, 4, crc);
        byte[] head = new byte[128];
        byte[] name = "dump-type1-0-0-5-D".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int h = EntryFormat.encodeHead(head, EntryFormat.SET, 11L, -22L, name, name.length, 7, data, 1, 4, crc);
        assertThat(assemble(head, h, data, 1, 4)).isEqualTo(java.util.Arrays.copyOf(whole, size));
    }

    @Test
    void aSealedSetReadsAsASetAndItsChecksumCoversHeaderAndNameOnly() {
        byte[] data = new byte[40];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        byte[] head = new byte[128];
        byte[] name = "dump-type3-0-0-9-D".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int h = EntryFormat.encodeHead(head, EntryFormat.SEALED_SET, 1, 2, name, name.length, 7, data, 0, data.length, crc);
        byte[] entry = assemble(head, h, data, 0, data.length);
        int size = entry.length;
        assertThat(size).isEqualTo(EntryFormat.size(name.length, data.length));
        assertThat(EntryFormat.validate(entry, size, crc)).isEqualTo(EntryFormat.SET);
        assertThat(entry[5]).as("kind on disk").isEqualTo(EntryFormat.SEALED_SET);
        for (int bit = 0; bit < size * 8; bit++) {
            entry[bit / 8] ^= (byte) (1 << (bit % 8));
            boolean inData = bit / 8 >= h && bit / 8 < h + data.length;
            assertThat(EntryFormat.validate(entry, size, crc)).as("bit %d flipped", bit)
                    .isEqualTo(inData ? EntryFormat.SET : 0); // the data is the caller's to check (a sealed frame)
            entry[bit / 8] ^= (byte) (1 << (bit % 8));
        }
    }
}
