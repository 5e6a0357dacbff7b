package io.spotlight.cam.method;

import io.spotlight.cam.CamException;
import java.util.List;

/** Methods by the names used in configs and on the command line. */
public final class CamMethods {
    public static final List<String> NAMES =
            List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam", "hirescam-abs", "elementwise", "cam", "scorecam", "eigencam",
                    "eigengradcam", "ablationcam");

    /**
     * Methods that read the whole model instead of weighing one layer's channels (guided
     * backpropagation, FullGrad): not made here, only {@code explain} offers them.
     */
    public static final List<String> WHOLE_MODEL = List.of("guidedbackprop", "guidedgradcam", "fullgrad");

    private CamMethods() {}

    /** The suffix that adds pytorch-grad-cam's eigen smoothing to any method: {@code gradcam+eigen_smooth}. */
    public static final String EIGEN_SMOOTH = "+eigen_smooth";

    public static CamMethod byName(String name) {
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(EIGEN_SMOOTH)) {
            return new EigenSmooth(byName(name.substring(0, name.length() - EIGEN_SMOOTH.length())));
        }
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "gradcam":
                return new GradCam();
            case "gradcam++":
            case "gradcampp":
                return new GradCamPlusPlus();
            case "xgradcam":
                return new XGradCam();
            case "layercam":
                return new LayerCam();
            case "hirescam":
            case "elementwise":
                return new HiResCam();
            case "hirescam-abs":
                return new HiResCamAbs();
            case "cam":
                return new ClassActivationMap();
            case "scorecam":
                return new ScoreCam();
            case "eigencam":
                return new EigenCam();
            case "eigengradcam":
                return new EigenGradCam();
            case "ablationcam":
                return new AblationCam();
            default:
                if (WHOLE_MODEL.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    throw new CamException("'" + name + "' reads the whole model, not one layer's channels: only explain --method"
                            + " offers it; a layer's methods are " + NAMES);
                }
                throw new CamException("unknown CAM method '" + name + "'; expected one of " + NAMES
                        + ", optionally with " + EIGEN_SMOOTH);
        }
    }
}
