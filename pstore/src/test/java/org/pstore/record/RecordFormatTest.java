package org.pstore.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private final Identity identity = new Identity(UUID.randomUUID(), 3, 1234, "host-a", "OpenJDK 17");
    private final CRC32C crc = new CRC32C();

    @Test
    void sealedFramesDecodeToWhatWasWritten() {
        byte[] buf = new byte[512];
        int at = RecordFormat.headerLength(identity);
        byte[] payload = "Panic#1 Part#1\nhello".getBytes();
        System.arraycopy(payload, 0, buf, at, payload.length);
        int size = RecordFormat.seal(buf, identity, RecordType.DMESG, 1, true, 2, 7, 3_000_000_005L, 1_700_000_000_123L, payload.length, crc);

        assertThat(RecordFormat.validate(buf, 0, size, crc)).isEqualTo(size);
        RecordFormat.Frame f = new RecordFormat.Decoder().decode(buf, 0, size);
        assertThat(f.typeCode()).isEqualTo(0);
        assertThat(f.reasonCode()).isEqualTo(1);
        assertThat(f.compressed()).isTrue();
        assertThat(f.part()).isEqualTo(2);
        assertThat(f.count()).isEqualTo(7);
        assertThat(f.id()).isEqualTo(3_000_000_005L);
        assertThat(f.timeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(f.pid()).isEqualTo(1234);
        assertThat(f.bootId()).isEqualTo(identity.bootId());
        assertThat(f.host()).isEqualTo("host-a");
        assertThat(f.jvm()).isEqualTo("OpenJDK 17");
        assertThat(new String(buf, f.payloadOffset(), f.payloadLength())).isEqualTo("Panic#1 Part#1\nhello");
    }

    @Test
    void anyFlippedBitOrCutIsRejected() {
        byte[] buf = new byte[256];
        int size = RecordFormat.seal(buf, identity, RecordType.PMSG, 0, false, 0, 0, 1, 2, 0, crc);
        for (int bit = 0; bit < size * 8; bit++) {
            buf[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(RecordFormat.validate(buf, 0, size, crc)).as("bit %d", bit).isEqualTo(-1);
            buf[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        for (int cut = 0; cut < size; cut++) {
            assertThat(RecordFormat.validate(buf, 0, cut, crc)).as("cut %d", cut).isEqualTo(-1);
        }
    }

    @Test
    void theDecoderReusesWhatFramesShareAndRejectsWhatFailsValidation() {
        byte[] a = new byte[256];
        byte[] b = new byte[256];
        int sa = RecordFormat.seal(a, identity, RecordType.PMSG, 0, false, 0, 0, 1, 2, 0, crc);
        int sb = RecordFormat.seal(b, identity, RecordType.PMSG, 0, false, 0, 0, 2, 3, 0, crc);
        RecordFormat.Decoder d = new RecordFormat.Decoder();
        RecordFormat.Frame fa = d.decode(a, 0, sa);
        RecordFormat.Frame fb = d.decode(b, 0, sb);
        assertThat(fb.host()).isSameAs(fa.host());
        assertThat(fb.bootId()).isSameAs(fa.bootId());
        assertThat(fb.id()).isEqualTo(2);
        b[30] ^= 1;
        assertThat(d.decode(b, 0, sb)).isNull();
    }

    @Test
    void typeNumbersAreTheLinuxAbi() {
        assertThat(RecordType.DMESG.code()).isEqualTo(0);
        assertThat(RecordType.CONSOLE.code()).isEqualTo(2);
        assertThat(RecordType.PMSG.code()).isEqualTo(7);
        assertThat(RecordType.ofCode(42)).isNull();
    }
}
