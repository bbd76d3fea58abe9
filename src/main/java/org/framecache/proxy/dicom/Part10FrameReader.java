package org.framecache.proxy.dicom;

import static org.framecache.proxy.dicom.ElementHeader.UNDEFINED_LENGTH;
import static org.framecache.proxy.dicom.TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN;
import static org.framecache.proxy.dicom.TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Streams the frames out of a DICOM Part 10 file (PS3.10 7.1) in a single front-to-back pass, holding at most
 * one frame plus a small look-ahead buffer in memory.
 *
 * <p>Supported: Explicit VR Little Endian, Implicit VR Little Endian and the encapsulated transfer syntaxes
 * (explicit VR little endian data set, Pixel Data of undefined length, PS3.5 A.4). Not supported: Deflated
 * data sets and Explicit VR Big Endian. Only top-level attributes are interpreted; every other value is skipped
 * without being buffered, sequences of undefined length structurally (PS3.5 7.5).
 *
 * <p>Frames are handed to the {@link FrameSink} as soon as they are complete, so a sink may already have seen
 * frames when a later defect (truncation, frame count mismatch) raises a {@link DicomFormatException}; callers
 * must then discard the whole instance.
 *
 * <p>The parts: {@link FileMetaInformation} for the transfer syntax, {@link ImageAttributes} for what the frames
 * are cut by, {@link ValueSkipper} for everything else, {@link NativePixelData} or {@link EncapsulatedPixelData}
 * (fragments to frames: {@link FrameBoundaries}) for the frames, which go to a {@link FrameDestination}.
 */
public final class Part10FrameReader {
    /** Largest frame this reader hands out: the usual JVM array size limit. */
    static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 8;

    private final DicomStream in;
    private final FrameDestination frames;
    /** Largest frame handed out: a larger one is a {@link DicomFormatException}, before it is read. */
    private final long maxFrameBytes;
    private final ImageAttributes image = new ImageAttributes();

    private String transferSyntaxUid;
    private boolean implicitVr;
    private boolean pixelDataSeen;

    private Part10FrameReader(InputStream in, FrameDestination frames, long maxFrameBytes) {
        this.in = new DicomStream(in);
        this.frames = frames;
        this.maxFrameBytes = Math.min(maxFrameBytes, MAX_FRAME_BYTES);
    }

    /**
     * Reads {@code in} once, front to back (it is not closed), calling {@code sink} for every frame in order.
     *
     * @throws DicomFormatException for malformed, truncated or unsupported input
     * @throws IOException          from the stream or the sink
     */
    public static Part10Summary read(InputStream in, FrameSink sink) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        return new Part10FrameReader(in, new FramesToSink(sink), MAX_FRAME_BYTES).run();
    }

    /**
     * Like {@link #read(InputStream, FrameSink)}, holding no frame larger than {@code maxFrameBytes}: with a stream
     * (an HTTP body), memory is bounded by that whatever the instance's size.
     */
    public static Part10Summary read(InputStream in, FrameSink sink, long maxFrameBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        return new Part10FrameReader(in, new FramesToSink(sink), maxFrameBytes).run();
    }

    /**
     * Reads {@code in} once, front to back, like {@link #read}, but records where each frame's bytes lie instead
     * of reading them: positions count from the first byte of {@code in}, so with a file's stream they are file
     * offsets. Pixel data is skipped ({@link InputStream#skip}, a seek for a file).
     */
    public static Part10Summary locate(InputStream in, FrameLocations into) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(into, "into");
        return new Part10FrameReader(in, new FramesToLocations(into), MAX_FRAME_BYTES).run();
    }

    private Part10Summary run() throws IOException {
        transferSyntaxUid = FileMetaInformation.readTransferSyntax(in);
        implicitVr = IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        frames.begin(transferSyntaxUid);
        readDataSet();
        if (!pixelDataSeen) {
            throw new DicomFormatException("no Pixel Data");
        }
        return image.summary(transferSyntaxUid, frames.framesEmitted());
    }

    /** The top-level data set (PS3.5 7), to its end: elements after Pixel Data are skipped too. */
    private void readDataSet() throws IOException {
        while (!in.atEnd()) {
            ElementHeader h = ElementHeader.read(in, !implicitVr);
            if (h.tag() == Tag.PixelData) {
                readPixelData(h);
            } else if (!image.read(h, in)) {
                if (Tag.isItemOrDelimiter(h.tag())) {
                    throw new DicomFormatException("unexpected " + Tag.toString(h.tag()) + " in the data set");
                }
                ValueSkipper.skipValue(in, h, implicitVr, 0);
            }
        }
    }

    private void readPixelData(ElementHeader h) throws IOException {
        if (pixelDataSeen) {
            throw new DicomFormatException("duplicate Pixel Data");
        }
        pixelDataSeen = true;
        boolean nativeSyntax = implicitVr || EXPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        int framesFound;
        if (h.length() == UNDEFINED_LENGTH) {
            if (nativeSyntax) {
                throw new DicomFormatException("encapsulated Pixel Data in native transfer syntax " + transferSyntaxUid);
            }
            framesFound = EncapsulatedPixelData.read(in, transferSyntaxUid, image, frames, maxFrameBytes);
        } else {
            if (!nativeSyntax) {
                throw new DicomFormatException("native Pixel Data in encapsulated transfer syntax " + transferSyntaxUid);
            }
            framesFound = NativePixelData.read(in, h.length(), image, frames, maxFrameBytes);
        }
        if (framesFound != image.numberOfFrames()) {
            throw new DicomFormatException(framesFound + " frames found, NumberOfFrames says "
                    + image.numberOfFrames());
        }
    }
}
