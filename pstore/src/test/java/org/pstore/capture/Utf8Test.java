package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void everyCodePointIsEncodedAsJavaEncodesIt() {
        byte[] ours = new byte[4];
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue; // not characters: codePoint turns a lone one into '?'
            }
            byte[] expected = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            int size = Utf8.size(cp);
            for (int k = 0; k < size; k++) {
                ours[k] = Utf8.byteAt(cp, size, k);
            }
            if (size != expected.length || !Arrays.equals(ours, 0, size, expected, 0, size)) {
                assertThat(Arrays.copyOf(ours, size)).as("U+%04X", cp).isEqualTo(expected);
            }
        }
    }
}
