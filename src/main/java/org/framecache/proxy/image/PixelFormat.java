package org.framecache.proxy.image;

/**
 * How a stored frame's pixels are laid out (PS3.3 C.7.6.3 Image Pixel module), read from the instance's metadata:
 * a decoder needs it for native frames and checks a compressed frame against it.
 */
public record PixelFormat(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
        String photometric, int planarConfiguration, boolean signed) {
}
