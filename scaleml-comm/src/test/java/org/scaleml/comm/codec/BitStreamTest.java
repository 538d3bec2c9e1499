package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BitStreamTest {
    @Test
    void mixedFieldsAndCodesRoundTrip() {
        SplittableRandom r = new SplittableRandom(1);
        int count = 20_000;
        long[] vals = new long[count];
        int[] kinds = new int[count];
        byte[] buf = new byte[count * 20];
        BitWriter w = new BitWriter().reset(buf, 3);
        long bits = 0;
        for (int i = 0; i < count; i++) {
            kinds[i] = r.nextInt(4);
            switch (kinds[i]) {
                case 0: {
                    int width = r.nextInt(33);
                    vals[i] = r.nextLong() & ((1L << width) - 1);
                    w.write(vals[i], width);
                    vals[i] |= (long) width << 40;
                    bits += width;
                    break;
                }
                case 1:
                    vals[i] = 1 + (r.nextLong() >>> r.nextInt(1, 64));
                    bits += w.writeGamma(vals[i]);
                    break;
                case 2:
                    vals[i] = r.nextInt(5000);
                    bits += w.writeRice(vals[i], 6);
                    break;
                default:
                    vals[i] = r.nextLong() >>> r.nextInt(64);
                    w.writeLong(vals[i], 64);
                    bits += 64;
                    break;
            }
        }
        int end = w.finish();
        assertThat(end - 3).isEqualTo((bits + 7) / 8);
        BitReader rd = new BitReader().reset(buf, 3, end, "test");
        for (int i = 0; i < count; i++) {
            switch (kinds[i]) {
                case 0: {
                    int width = (int) (vals[i] >>> 40);
                    assertThat(rd.read(width)).isEqualTo(vals[i] & ((1L << 40) - 1));
                    break;
                }
                case 1:
                    assertThat(rd.readGamma()).isEqualTo(vals[i]);
                    break;
                case 2:
                    assertThat(rd.readRice(6, 1 << 20)).isEqualTo(vals[i]);
                    break;
                default:
                    assertThat(rd.readLong(64)).isEqualTo(vals[i]);
                    break;
            }
        }
        rd.requireEnd();
    }

    @Test
    void readingPastTheEndIsAFormatError() {
        byte[] buf = new byte[4];
        BitReader rd = new BitReader().reset(buf, 0, 2, "x");
        rd.read(16);
        assertThatThrownBy(() -> rd.read(1)).isInstanceOf(CodecFormatException.class).hasMessageContaining("truncated");
        BitReader zeros = new BitReader().reset(new byte[3], 0, 3, "x");
        assertThatThrownBy(zeros::readGamma).isInstanceOf(CodecFormatException.class);
    }

    @Test
    void requireEndRejectsTrailingBytes() {
        byte[] buf = new byte[8];
        BitWriter w = new BitWriter().reset(buf, 0);
        w.write(5, 3);
        int end = w.finish();
        BitReader ok = new BitReader().reset(buf, 0, end, "x");
        ok.read(3);
        ok.requireEnd();
        BitReader extra = new BitReader().reset(buf, 0, end + 1, "x");
        extra.read(3);
        assertThatThrownBy(extra::requireEnd).isInstanceOf(CodecFormatException.class);
    }
}
