package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The wire formats are pinned: payloads written by the encoders of an earlier release (before the random stream of
 * the fixed-width quantizers changed, see {@link LaneRandom}) still decode to exactly the values they decoded to
 * then, and today's encoders write payloads of the same layout (header, length and every deterministic field:
 * counts, scales, ranges, levels) for the same input. Today's payloads are pinned too (by checksum), so that a
 * change of any codec's output is a deliberate one.
 */
class CodecWireFormatTest {
    /** The input of every payload below, as float bits: signs, zeros (+0 and -0), magnitudes up to 5. */
    private static final int[] INPUT = {
            0xbe61a0f1, 0xbff76786, 0x4019e461, 0x00000000, 0xbef37f5c, 0xbf004a83,
            0xbe0343b6, 0xbf84097d, 0xc03b427f, 0xbf5e5ba7, 0xbf4afa31, 0x80000000,
            0x40208500, 0x403e1f32, 0x4068f704, 0x3dc5c907, 0x3fc25cba, 0xbf855ac2,
            0x3f73f580, 0x4024afa2, 0x3eb2c19e, 0xbfc95f5c, 0xbf6eef96, 0xbf1c1d27,
            0x4080d00d, 0x3f6bb03e, 0xbfd8bd3c, 0xbf0ec7c6, 0x404dbea6, 0xbf598502,
            0x3f7138b6, 0xbfe43a9f, 0xbf336e21, 0xbfdea0eb, 0x3f1320d5, 0x3e5aaaa6,
            0xbfd9381b};

    /** Specification, payload (hex) from the earlier encoders (seed 1234), the values it decodes to (float bits). */
    private static final String[][] EARLIER = {
{"qsgd:bits=4,bucket=16,norm=l2",
                "0104250000009dad7626d102e1403e88e240bb8c2640a00299909b0933049221a009149993a1ca120c",
                "00000000c00093e5400093e500000000bf8093e5bf8093e500000000bf8093e5c040ddd8bf8093e5bf8093e5000000004040ddd84040ddd8408093e5000000004001726dbf81726d3f81726d4001726d00000000c001726dbf81726d000000004081726d3f81726dbf81726dbf81726d40422ba3bf81726d3f81726dc001726dbf3e57b1bfbe57b13f3e57b13ebe57b1bfbe57b1"},
            {"qsgd:bits=3,bucket=16,norm=l2",
                "0104250000005104fd24d102e1403e88e240bb8c26406850000520094182020a9aa27562",
                "00000000c01601e1401601e100000000c01601e1000000000000000000000000c01601e1000000000000000000000000409601e1409601e1409601e1000000004017057f000000004017057f4017057f00000000c017057f00000000000000004097057f4017057f00000000c017057f4017057fc017057f00000000c017057fbf5e10f9bfde10f93f5e10f93f5e10f9bfde10f9"},
            {"qsgd:bits=8,bucket=16,norm=l2",
                "01042500000036eb6d4ed102e1403e88e240bb8c264084a32b0089898292b58f8e002e3642021c92112e069d918b49119e8a399011a0a2d51c0bd3",
                "be62c862bff80b2b40185ea200000000beff216ebeff216ebde2c862bf7f216ec03bcdf1bf549bdcbf466f560000000040230006403f59124069dea53de2c8623fc7c6c4bf806d7e3f7295ee40241a213eab3ca8bfcee94bbf7295eebf1cf79a408236203f7295eebfd60bd2bf0eb28c404b5807bf6450e03f7295eebfe450e0bf325a3bbfdef0ca3f12e0e53e66cf1fbfd9b1e6"},
            {"qsgd:bits=4,bucket=16,norm=max",
                "01042500000098f4f79604f768400dd08040eba0de3fc90499a09d096517a342b09a279aa5b1fb130f",
                "bf051f70c0051f7040051f7000000000bf051f70bf051f7000000000bf851f70c026674cbf051f70bf051f70000000004026674c4047af284068f7043f051f703fdcd25fbf9336ea3f9336ea401336ea00000000bfdcd25fbf9336eabf1336ea4080d00d3f9336eabf9336eabf1336ea403804a5bf9336ea3f1336eabfdcd25fbf3ed313bfdea0eb3f3ed3133e7e6ec3bfdea0eb"},
            {"nuqsgd:bits=4,bucket=16",
                "0106250000006c7f1f0ed102e1403e88e240bb8c2640da05bbc9cd0c6616c554d2bc46ccc6d4ed450e",
                "be6102d1bfe102d13fe102d100000000bee102d1bee102d1bde102d1bf6102d1bfe102d1bf6102d1bf6102d100000000406102d1406102d1406102d13de102d13fe2883ebf62883e3f62883e3fe2883e3e62883ebfe2883ebf62883ebee2883e4062883e3f62883ebf62883ebf62883e4062883ebf62883e3f62883ebfe2883ebf268cbbbfa68cbb3f268cbb3ea68cbbbfa68cbb"},
            {"nuqsgd:bits=3,bucket=16",
                "010625000000e7a1bc1ad102e1403e88e240bb8c26406850000520094182020aaaa27562",
                "00000000bfe102d13fe102d100000000bfe102d1000000000000000000000000bfe102d1000000000000000000000000406102d1406102d1406102d1000000003fe2883e000000003fe2883e3fe2883e00000000bfe2883e00000000000000004062883e3fe2883e00000000bfe2883e4062883ebfe2883e00000000bfe2883ebf268cbbbfa68cbb3f268cbb3f268cbbbfa68cbb"},
            {"maxmin:bits=4,bucket=16",
                "010f25000000647f3c017f423bc004f768409f3ae4bf0dd08040eba0debfd520133f267c66464065ed7f29b715327f403d0707df00",
                "be995beec0033ad44014eb833e0d857cbe995beebe995beebe995beebf966652c03b427fbf966652bf3cbd4dbe995bee4030ef59404cf32e4068f7043e0d857c3fd9dbe0bf81192e3f6d74dc401e7ea93e1cc7e5bfb2a9e6bf81192ebf1f10ea4080d00d3f6d74dcbfe43a9fbe6fbde140500f61bf1f10ea3f6d74dcbfe43a9fbf28cf86bfdea0eb3f1320d53e88497cbfdea0eb"},
            {"maxmin:bits=1,bucket=16",
                "010f25000000fdf7533a7f423bc004f768409f3ae4bf0dd08040eba0debfd520133f1df0051b0d",
                "4068f704c03b427f4068f7044068f7044068f704c03b427fc03b427fc03b427fc03b427fc03b427fc03b427fc03b427f4068f7044068f7044068f7044068f7044080d00dbfe43a9f4080d00dbfe43a9fbfe43a9fbfe43a9fbfe43a9fbfe43a9f4080d00d4080d00dbfe43a9f4080d00d4080d00dbfe43a9fbfe43a9fbfe43a9f3f1320d5bfdea0eb3f1320d53f1320d5bfdea0eb"},
            {"maxmin:bits=7,bucket=16",
                "010f2500000074eee2c87f423bc004f768409f3ae4bf0dd08040eba0debfd520133fb5c939077bd94880530aa796ff774808efeb2a4832ff5d60d3aeec0039c07f2d00",
                "be3e3f1abff8c87240198d683cac297dbee37a3cbefdf2c5be094e08bf88482bc03b427fbf68db87bf4e62febcfb5f1740237a9c403df3254068f7043dfecea93fc14578bf868fef3f760ae84023f56a3ea44069bfc6f548bf75b533bf23bfd94080d00d3f6a5592bfde5ff4bf0c552d404cf017bf5295313f6a5592bfe43a9fbf336226bfdea0eb3f1320d53e575b59bfd9f6d1"},
            {"alq:bits=4,bucket=16,update=10",
                "0107250000008ef4dcd2a7f5913dd24c083ee0ee743e6ba0b63e2982e83e03f1263f0000803fd102e1403e88e240bb8c2640b90499a09c095415a342b09a269ba5b2eb130e",
                "bf004a83bfd748a54020850000000000bf004a83bf004a8300000000bf6f9a09c0208500bf004a83bf004a830000000040208500404c5cf5404c5cf53f004a833fd8bd3cbf7138b63f7138b640219ad000000000bfd8bd3cbf7138b6bf01288b4093b99d3f7138b6bfd8bd3cbf01288b404dbea6bf7138b63f7138b6bfd8bd3cbf1f598bbfd9381b3f1f598b3e3deb0ebfd9381b"},
            {"amq:bits=4,bucket=16,update=10",
                "010825000000e9fc6d42b88bb63d4690083ef7534c3ee5db983e98b5e43e4a192b3f0000803fd102e1403e88e240bb8c2640c90499a09d095505a342c09a269ba5c2ec130e",
                "bf2072cfc0065af340065af300000000bf2072cfbf2072cf00000000bf70109cc049061fbf2072cfbf2072cf000000004049061f4049061f4049061f000000003fb4cedebf71b0173f71b0174007437a00000000c007437abf71b017bf21887f409767623f71b017bfb4cedebf21887f404a6208bf71b0173f71b017c007437abf46e53dbfdea0ea3f04eec53e6d85e6bfdea0ea"},
            {"topk:ratio=0.1,select=sampled",
                "010925000000fd09d1060400000002321f3e4004f768400dd08040a6be4d4058d801",
                "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000403e1f324068f7040000000000000000000000000000000000000000000000000000000000000000000000004080d00d000000000000000000000000404dbea60000000000000000000000000000000000000000000000000000000000000000"},
            {"qsgd-elias:levels=2,bucket=16",
                "0105250000009d0bc959d102e1403e88e240bb8c264054f3892da2d25be235fbab01",
                "00000000c06102d1000000000000000000000000000000000000000000000000c06102d1000000000000000000000000406102d1406102d1406102d1000000004062883e000000004062883e0000000000000000c062883e00000000000000004062883e0000000000000000000000004062883ec062883e00000000c062883ebfa68cbbbfa68cbb3fa68cbb00000000bfa68cbb"},
            {"terngrad:bucket=512",
                "010d25000000885fb0aa0dd0804008800215110881090000",
                "00000000c080d00d0000000000000000000000000000000000000000c080d00dc080d00d0000000000000000000000004080d00d4080d00d4080d00d000000004080d00d000000004080d00d0000000000000000c080d00d00000000000000004080d00d0000000000000000c080d00d4080d00dc080d00d00000000000000000000000000000000000000000000000000000000"},
            {"sign:bucket=512",
                "010c25000000fc96e81f3161a93ff30fe2ac13",
                "bfa96131bfa961313fa961313fa96131bfa96131bfa96131bfa96131bfa96131bfa96131bfa96131bfa96131bfa961313fa961313fa961313fa961313fa961313fa96131bfa961313fa961313fa961313fa96131bfa96131bfa96131bfa961313fa961313fa96131bfa96131bfa961313fa96131bfa961313fa96131bfa96131bfa96131bfa961313fa961313fa96131bfa96131"},
            {"randomk:ratio=0.25,unbiased=true",
                "010a25000000f0fa8d22ff81087d5197d45200000000c14474c07f59a53fc46710c006035a40641204c042215f40a01cd3c012f925c040444a3f",
                "00000000000000000000000000000000000000000000000000000000c07444c10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003fa5597f0000000000000000c01067c400000000405a030600000000c00412640000000000000000405f2142c0d31ca0c025f91200000000000000003f4a444000000000"}
    };

    private static float[] input() {
        float[] v = new float[INPUT.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(INPUT[i]);
        }
        return v;
    }

    @Test
    void earlierPayloadsDecodeToTheSameValues() {
        for (String[] e : EARLIER) {
            GradientCodec c = Codecs.create(e[0], 1);
            byte[] payload = HexFormat.of().parseHex(e[1]);
            float[] out = new float[INPUT.length];
            c.decode(payload, 0, payload.length, out, 0, out.length);
            StringBuilder bits = new StringBuilder();
            for (float f : out) {
                bits.append(String.format("%08x", Float.floatToRawIntBits(f)));
            }
            assertThat(bits.toString()).as(e[0]).isEqualTo(e[2]);
        }
    }

    @Test
    void todaysPayloadsKeepTheLayout() {
        float[] v = input();
        for (String[] e : EARLIER) {
            GradientCodec c = Codecs.create(e[0], 1234);
            byte[] earlier = HexFormat.of().parseHex(e[1]);
            byte[] now = new byte[c.maxEncodedSize(v.length)];
            int len = c.encode(v, 0, v.length, now, 0);
            assertThat(len).as("%s payload length", e[0]).isEqualTo(earlier.length);
            // header: format version, codec id, element count (the checksum covers the codes, which are random)
            assertThat(slice(now, 0, 6)).as("%s header", e[0]).isEqualTo(slice(earlier, 0, 6));
            int fixed = e[0].startsWith("topk:") || e[0].startsWith("sign:") ? len - Wire.HEADER_BYTES // no randomness
                    : deterministicBodyBytes(e[0]);
            assertThat(slice(now, Wire.HEADER_BYTES, fixed)).as("%s deterministic fields", e[0])
                    .isEqualTo(slice(earlier, Wire.HEADER_BYTES, fixed));
        }
    }

    /** Bytes at the start of each body that do not depend on the random stream. */
    private static int deterministicBodyBytes(String spec) {
        int buckets = (INPUT.length + 15) / 16;
        if (spec.startsWith("qsgd:") || spec.startsWith("nuqsgd:")) {
            return 4 * buckets; // the bucket scales
        }
        if (spec.startsWith("maxmin:")) {
            return 8 * buckets; // the bucket ranges
        }
        return 0;
    }

    private static String slice(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    @Test
    void todaysPayloadsArePinned() {
        float[] v = input();
        StringBuilder crcs = new StringBuilder();
        for (String[] e : EARLIER) {
            GradientCodec c = Codecs.create(e[0], 1234);
            byte[] now = new byte[c.maxEncodedSize(v.length)];
            int len = c.encode(v, 0, v.length, now, 0);
            CRC32 crc = new CRC32();
            crc.update(now, 0, len);
            crcs.append(String.format("%08x ", crc.getValue()));
        }
        assertThat(crcs.toString().trim()).isEqualTo(PINNED_CRCS);
    }

    /** CRC-32 of today's payload of each specification above, in order (seed 1234). */
    private static final String PINNED_CRCS = "08665eca 206bd21c a1660122 be9968ee af573734 7b1e1d3e 23309448 448a9a57 ef7f03e7 e41cfc47 "
            + "e640e9c6 3f17c462 a7a6b835 4b79ce23 fa026a07 d49bffb7";
}
