package ai.djl.pytorch.jni;

import ai.djl.pytorch.engine.PtSymbolBlock;

/**
 * The one call Spotlight needs that DJL keeps package-private: running a TorchScript method with
 * autograd enabled. DJL's public {@link IValueUtils#runMethod} always passes {@code isTrain=false},
 * under which the native side disables grad mode; {@code torch.autograd.grad(create_graph=True)}
 * then has no graph to build on.
 */
public final class SpotlightJni {
    private SpotlightJni() {}

    /** Runs {@code method} of {@code module} with autograd on; the caller closes the result. */
    public static IValue runMethodWithGrad(PtSymbolBlock module, String method, IValue... inputs) {
        long[] handles = new long[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            handles[i] = inputs[i].getHandle();
        }
        return new IValue(
                PyTorchLibrary.LIB.moduleRunMethod(
                        module.getHandle(), method, handles, true, false));
    }
}
