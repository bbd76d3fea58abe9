package org.framecache.proxy.image;

import java.awt.image.BufferedImage;

/** An image as {@code TYPE_INT_RGB}: the same pixels, grey replicated into the three channels. */
final class Rgb {
    private Rgb() {
    }

    static BufferedImage of(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] gray = (byte[]) image.getRaster().getDataElements(0, 0, w, h, null);
            int[] out = new int[gray.length];
            for (int i = 0; i < out.length; i++) {
                int g = gray[i] & 0xFF;
                out[i] = g << 16 | g << 8 | g;
            }
            rgb.getRaster().setDataElements(0, 0, w, h, out);
        } else {
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        return rgb;
    }
}
