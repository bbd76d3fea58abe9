package org.framecache.proxy.dicom;

import java.io.IOException;

/** The input is not a DICOM Part 10 file this reader can handle: malformed, truncated or unsupported. */
public class DicomFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public DicomFormatException(String message) {
        super(message);
    }
}
