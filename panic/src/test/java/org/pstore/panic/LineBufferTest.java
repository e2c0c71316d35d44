package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LineBufferTest {

    @Test
    void appendsTextCharsNumbersAndHex() {
        LineBuffer line = new LineBuffer(64);
        line.append("a=").append(0L).append(' ').append(-42L).append(' ').append(Long.MIN_VALUE)
                .append(" 0x").appendHex(0xbeefL, 8).append(' ').appendHex(-1L).append(' ').append((CharSequence) null);
        assertThat(line.toString())
                .isEqualTo("a=0 -42 -9223372036854775808 0x0000beef ffffffffffffffff null");
        assertThat(line.truncated()).isFalse();
    }

    @Test
    void appendsAnotherLineAndAnyCharSequence() {
        LineBuffer other = new LineBuffer(16).append("other");
        LineBuffer line = new LineBuffer(32).append(other).append(new StringBuilder(" sb")).indent(2).append('|');
        assertThat(line.toString()).isEqualTo("other sb  |");
        assertThat(line.length()).isEqualTo(11);
        assertThat(line.charAt(0)).isEqualTo('o');
        assertThat(line.subSequence(0, 5).toString()).isEqualTo("other");
    }

    @Test
    void truncatesInsteadOfGrowingAndSaysSo() {
        LineBuffer line = new LineBuffer(10);
        line.append("0123456789abcdef").append("more").append(12345L);
        assertThat(line.toString()).isEqualTo("0123456...");
        assertThat(line.truncated()).isTrue();
        assertThat(line.clear().append("ok").toString()).isEqualTo("ok");
        assertThat(line.truncated()).isFalse();
    }

    @Test
    void utf8LengthAndEncodingMatchTheJdk() {
        String text = "a\u00e9\u20ac\ud83d\ude00z";
        LineBuffer line = new LineBuffer(32).append(text);
        byte[] jdk = text.getBytes(StandardCharsets.UTF_8);
        assertThat(line.utf8Length()).isEqualTo(jdk.length);
        byte[] out = new byte[32];
        int n = Utf8.encode(line.array(), line.length(), out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(jdk);
    }

    @Test
    void loneSurrogateIsOneQuestionMarkLikeTheJdk() {
        String text = "x\ud83dy";
        LineBuffer line = new LineBuffer(8).append(text);
        byte[] jdk = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8];
        assertThat(line.utf8Length()).isEqualTo(jdk.length);
        assertThat(Arrays.copyOf(out, Utf8.encode(line.array(), line.length(), out, 0))).isEqualTo(jdk);
    }

    @Test
    void encodingNeverSplitsACharacter() {
        LineBuffer line = new LineBuffer(8).append("\u20ac\u20ac");
        byte[] out = new byte[5];
        assertThat(Utf8.encode(line.array(), line.length(), out, 0)).isEqualTo(3);
    }
}
