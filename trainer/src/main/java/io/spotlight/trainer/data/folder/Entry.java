package io.spotlight.trainer.data.folder;

import java.nio.file.Path;
import java.util.List;

/**
 * One listed sample before decoding: its files and labels, and where it was listed (for errors).
 *
 * @param image the image file
 * @param labels one label per head
 * @param masks one mask file per head, null = no mask for that head
 * @param where e.g. {@code "manifest.csv row 4"}; "" when the file itself says enough
 * @param maskWhere per head, where its mask was named (e.g. "... column mask_left")
 */
record Entry(Path image, int[] labels, List<Path> masks, String where, List<String> maskWhere) {}
