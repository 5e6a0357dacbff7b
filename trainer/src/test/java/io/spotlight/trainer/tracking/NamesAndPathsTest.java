package io.spotlight.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Artifact paths and image names that are safe on the server and readable by its UI. */
class NamesAndPathsTest {

  @Test
  void artifactPathsNeverLeaveTheRunsRoot() {
    assertEquals("escape.txt", ArtifactPaths.sanitize("../../escape.txt"));
    assertEquals("etc/passwd", ArtifactPaths.sanitize("/etc/passwd"));
    assertEquals("a/b/c.png", ArtifactPaths.sanitize("a/./b/../c.png".replace("../", "")));
    assertEquals("a/b.txt", ArtifactPaths.sanitize("a\\..\\b.txt".replace("..\\", "")));
    assertEquals("x/y", ArtifactPaths.sanitize("x/../../y"));
    assertEquals("C_/Windows", ArtifactPaths.sanitize("C:\\Windows"));
    assertEquals("a_b/c_d", ArtifactPaths.sanitize("a#b/c%d"));
    assertEquals("artifact", ArtifactPaths.sanitize("../.."));
    assertEquals("model/weights-0001.params", ArtifactPaths.sanitize("model/weights-0001.params"));
  }

  @Test
  void theUploadUrlStaysUnderTheRunsArtifactFolder() throws TrackingFailure {
    MlflowConnection connection =
        MlflowConnection.open("http://127.0.0.1:5000/", Credentials.from(Map.of()));
    URI url = connection.artifactUrl("mlflow-artifacts:/3/abc/artifacts", "../../other/x y.png");
    assertEquals(
        "http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/other/x%20y.png",
        url.toString());
    assertEquals(url.normalize(), url, "no dot segments to resolve");
  }

  @Test
  void imageKeysLoseSlashesAndSeparators() {
    assertEquals("cam_head0", ImageNames.sanitizeKey("cam/head0"));
    assertEquals("a_b_c", ImageNames.sanitizeKey("a+b%c"));
    assertEquals("grad-cam layer.1", ImageNames.sanitizeKey("grad-cam layer.1"));
    assertEquals("__", ImageNames.sanitizeKey(".."));
  }

  @Test
  void imageNamesRoundTripThroughTheLayoutTheUiParses() {
    UUID id = UUID.randomUUID();
    String path = ImageNames.imagePath("cam_head0", 42, 1_700_000_000_123L, id);
    assertEquals("images/cam_head0+step+42+timestamp+1700000000123+" + id + ".png", path);
    ImageNames.Parsed image = ImageNames.parse(path);
    assertEquals(new ImageNames.Parsed("cam_head0", 42, 1_700_000_000_123L, id.toString(), false), image);
    ImageNames.Parsed thumbnail = ImageNames.parse(ImageNames.thumbnailPath(path));
    assertTrue(thumbnail.thumbnail());
    assertEquals(image.id(), thumbnail.id());
    assertNull(ImageNames.parse("images/other.png"));
    assertFalse(path.contains("#"), "the artifact proxy refuses '#'");
  }

  @Test
  void thumbnailsAreAtMost512OnTheLongestSide() throws Exception {
    var big = TestImages.decode(Thumbnails.of(TestImages.png(2000, 800, 0)));
    assertEquals(512, big.getWidth());
    assertEquals(205, big.getHeight());
    byte[] card = TestImages.png(364, 338, 0); // a CAM card of 6 Fashion-MNIST probes
    assertEquals(card, Thumbnails.of(card), "a card is its own thumbnail");
  }

  @Test
  void credentialsGoIntoHeadersOnly() {
    Credentials token = Credentials.from(Map.of("MLFLOW_TRACKING_TOKEN", "t0k"));
    assertEquals("Bearer t0k", token.authorizationHeader().orElseThrow());
    Credentials basic =
        Credentials.from(Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "pw"));
    assertEquals("Basic YW5uOnB3", basic.authorizationHeader().orElseThrow());
    assertFalse(basic.toString().contains("pw") || basic.toString().contains("ann"));
    assertTrue(Credentials.from(Map.of()).authorizationHeader().isEmpty());
    assertEquals("http://host:5000", MlflowConnection.redact("http://ann:pw@host:5000"));
  }
}
