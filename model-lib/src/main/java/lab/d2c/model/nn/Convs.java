package lab.d2c.model.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** The two convolutions the autoencoders use: 3x3 "same" and 1x1 (LDM's conv_in / nin_shortcut / quant_conv). */
public final class Convs {

    private Convs() {
    }

    /** 3x3 convolution, stride 1, padding 1: keeps the spatial size. */
    public static Conv2d same3x3(int outChannels) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(outChannels).build();
    }

    /** 1x1 convolution: a per-pixel linear map of channels. */
    public static Conv2d pointwise(int outChannels) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(outChannels).build();
    }
}
