package io.spotlight.cam.autograd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} produces) for a parameter-free module
 * from its TorchScript source, without needing PyTorch's Python package.
 *
 * <p>The archive is a zip of stored entries under one top folder: the class source in {@code
 * code/__torch__.py}, the pickled module object in {@code data.pkl} (an instance of {@code
 * __torch__.NAME} whose only attribute is {@code training}), an empty constants table and the
 * format version. PyTorch compiles the source when it loads the archive.
 */
final class TorchScriptArchive {
    /** TorchScript file-format version; 3 is read by every PyTorch since 1.4. */
    private static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {}

    static byte[] write(String className, String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String root = "archive/";
            put(zip, root + "data.pkl", modulePickle(className));
            put(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            put(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(zip, root + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
            put(zip, root + ".data/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
            put(zip, root + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of {@code __torch__.<className>()} with state {@code {"training": True}}. */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        writeAscii(p, "c__torch__\n" + className + "\n"); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** PyTorch's reader wants STORED (uncompressed) records. */
    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
