package org.framecache.proxy.testing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Generates VL Whole Slide Microscopy Image (PS3.3 A.32.8) Part 10 files for tests: tiled JPEG baseline
 * slides and small native (uncompressed, 8-bit RGB) multi-frame instances.
 */
public final class SlideGenerator {

    public static final String VL_WHOLE_SLIDE_MICROSCOPY = "1.2.840.10008.5.1.4.1.1.77.1.6";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = DicomWriter.EXPLICIT_VR_LITTLE_ENDIAN;
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = DicomWriter.IMPLICIT_VR_LITTLE_ENDIAN;

    private static final float JPEG_QUALITY = 0.8f;
    /** Nominal 0.25 µm per pixel, i.e. a 40x scan; only used to fill the physical size attributes. */
    private static final double PIXEL_SPACING_MM = 0.00025;

    /** ImageIO writers are not thread-safe; tiles are encoded in parallel with one writer per thread. */
    private static final ThreadLocal<ImageWriter> JPEG_WRITER =
            ThreadLocal.withInitial(() -> ImageIO.getImageWritersByFormatName("jpeg").next());

    private SlideGenerator() {
    }

    /** A UID under the 2.25 root made from a random UUID (PS3.5 B.2). */
    public static String newUid() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    /**
     * A TILED_FULL JPEG baseline whole-slide level of {@code tilesAcross x tilesDown} tiles of
     * {@code tileSize x tileSize} RGB pixels, one JPEG fragment per frame.
     */
    public static GeneratedInstance jpegWsi(String studyUid, String seriesUid, int tilesAcross, int tilesDown,
                                            int tileSize, boolean withBasicOffsetTable) {
        int frameCount = tilesAcross * tilesDown;
        List<byte[]> fragments = IntStream.range(0, frameCount)
                .parallel()
                .mapToObj(i -> DicomWriter.pad(encodeJpeg(i, tileSize), (byte) 0))
                .toList();
        long pixelBytes = fragments.stream().mapToLong(f -> f.length + 8L).sum();

        Image image = new Image(studyUid, seriesUid, newUid(), JPEG_BASELINE, tileSize, tileSize, frameCount,
                (long) tilesAcross * tileSize, (long) tilesDown * tileSize, "YBR_FULL_422", true);
        byte[] dataSet = dataSet(image, (int) Math.min(Integer.MAX_VALUE - 64, pixelBytes + 4096),
                w -> w.encapsulatedPixelData(fragments, withBasicOffsetTable));
        return image.toInstance(dataSet, fragments);
    }

    /**
     * A native multi-frame instance: 8-bit RGB (PhotometricInterpretation RGB, PlanarConfiguration 0), in
     * Explicit VR Little Endian when {@code explicitVr}, else Implicit VR Little Endian. Frames are laid out
     * as a single row of tiles ({@code frames} across, 1 down).
     */
    public static GeneratedInstance nativeInstance(String studyUid, String seriesUid, int frames, int rows,
                                                   int columns, boolean explicitVr) {
        List<byte[]> frameBytes = IntStream.range(0, frames)
                .mapToObj(i -> TilePainter.paintRgbBytes(i, columns, rows))
                .toList();
        ByteArrayOutputStream pixelData = new ByteArrayOutputStream(frames * rows * columns * 3 + 1);
        frameBytes.forEach(pixelData::writeBytes);

        String transferSyntax = explicitVr ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
        Image image = new Image(studyUid, seriesUid, newUid(), transferSyntax, rows, columns, frames,
                (long) frames * columns, rows, "RGB", false);
        byte[] dataSet = dataSet(image, pixelData.size() + 4096,
                // PS3.5 A.2: OB is allowed for BitsAllocated 8 in explicit VR; implicit VR carries no VR at all.
                w -> w.bytes(0x7FE00010, "OB", pixelData.toByteArray()));
        return image.toInstance(dataSet, frameBytes);
    }

    private record Image(String studyUid, String seriesUid, String sopInstanceUid, String transferSyntaxUid,
                         int rows, int columns, int frames, long totalColumns, long totalRows,
                         String photometric, boolean lossy) {

        boolean explicitVr() {
            return !IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        }

        GeneratedInstance toInstance(byte[] dataSet, List<byte[]> frames) {
            byte[] file = DicomWriter.part10File(VL_WHOLE_SLIDE_MICROSCOPY, sopInstanceUid, transferSyntaxUid, dataSet);
            return new GeneratedInstance(studyUid, seriesUid, sopInstanceUid, VL_WHOLE_SLIDE_MICROSCOPY,
                    transferSyntaxUid, rows, columns, this.frames, file, List.copyOf(frames));
        }
    }

    /** Patient, study, series, WSI image and pixel attributes, in ascending tag order; pixel data last. */
    private static byte[] dataSet(Image image, int capacity, Consumer<DicomWriter> pixelData) {
        LocalDateTime now = LocalDateTime.now();
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        boolean explicit = image.explicitVr();

        DicomWriter pixelMeasures = new DicomWriter(explicit)
                .text(0x00180050, "DS", "0.001") // SliceThickness (mm)
                .text(0x00280030, "DS", ds(PIXEL_SPACING_MM), ds(PIXEL_SPACING_MM)); // PixelSpacing
        DicomWriter sharedGroups = new DicomWriter(explicit)
                .sequence(0x00289110, pixelMeasures); // PixelMeasuresSequence
        DicomWriter origin = new DicomWriter(explicit)
                .text(0x0040072A, "DS", "0") // XOffsetInSlideCoordinateSystem
                .text(0x0040073A, "DS", "0"); // YOffsetInSlideCoordinateSystem

        DicomWriter w = new DicomWriter(explicit, capacity)
                .text(0x00080008, "CS", "ORIGINAL", "PRIMARY", "VOLUME", "NONE") // ImageType
                .uid(0x00080016, VL_WHOLE_SLIDE_MICROSCOPY) // SOPClassUID
                .uid(0x00080018, image.sopInstanceUid()) // SOPInstanceUID
                .text(0x00080020, "DA", date) // StudyDate
                .text(0x00080023, "DA", date) // ContentDate
                .text(0x0008002A, "DT", date + time) // AcquisitionDateTime
                .text(0x00080030, "TM", time) // StudyTime
                .text(0x00080033, "TM", time) // ContentTime
                .text(0x00080050, "SH", "ACC0001") // AccessionNumber
                .text(0x00080060, "CS", "SM") // Modality
                .text(0x00080070, "LO", "framecache test generator") // Manufacturer
                .text(0x00080090, "PN", "") // ReferringPhysicianName
                .text(0x00089206, "CS", "VOLUME") // VolumetricProperties
                .text(0x00100010, "PN", "Test^Slide") // PatientName
                .text(0x00100020, "LO", "FRAMECACHE-TEST") // PatientID
                .text(0x00100030, "DA", "") // PatientBirthDate
                .text(0x00100040, "CS", "O") // PatientSex
                .uid(0x0020000D, image.studyUid()) // StudyInstanceUID
                .uid(0x0020000E, image.seriesUid()) // SeriesInstanceUID
                .text(0x00200010, "SH", "1") // StudyID
                .text(0x00200011, "IS", "1") // SeriesNumber
                .text(0x00200013, "IS", "1") // InstanceNumber
                .uid(0x00200052, newUid()) // FrameOfReferenceUID
                .text(0x00209311, "CS", "TILED_FULL") // DimensionOrganizationType
                .us(0x00280002, 3) // SamplesPerPixel
                .text(0x00280004, "CS", image.photometric()) // PhotometricInterpretation
                .us(0x00280006, 0) // PlanarConfiguration
                .text(0x00280008, "IS", Integer.toString(image.frames())) // NumberOfFrames
                .us(0x00280010, image.rows()) // Rows
                .us(0x00280011, image.columns()) // Columns
                .us(0x00280100, 8) // BitsAllocated
                .us(0x00280101, 8) // BitsStored
                .us(0x00280102, 7) // HighBit
                .us(0x00280103, 0) // PixelRepresentation
                .text(0x00280301, "CS", "NO") // BurnedInAnnotation
                .text(0x00282110, "CS", image.lossy() ? "01" : "00"); // LossyImageCompression
        if (image.lossy()) {
            w.text(0x00282114, "CS", "ISO_10918_1"); // LossyImageCompressionMethod
        }
        w.fl(0x00480001, (float) (image.totalColumns() * PIXEL_SPACING_MM)) // ImagedVolumeWidth (mm)
                .fl(0x00480002, (float) (image.totalRows() * PIXEL_SPACING_MM)) // ImagedVolumeHeight (mm)
                .fl(0x00480003, 0.001f) // ImagedVolumeDepth (mm)
                .ul(0x00480006, image.totalColumns()) // TotalPixelMatrixColumns
                .ul(0x00480007, image.totalRows()) // TotalPixelMatrixRows
                .sequence(0x00480008, origin) // TotalPixelMatrixOriginSequence
                .text(0x00480010, "CS", "NO") // SpecimenLabelInImage
                .text(0x00480011, "CS", "AUTO") // FocusMethod
                .text(0x00480012, "CS", "NO") // ExtendedDepthOfField
                .text(0x00480102, "DS", "0", "-1", "0", "-1", "0", "0") // ImageOrientationSlide
                .sequence(0x52009229, sharedGroups); // SharedFunctionalGroupsSequence
        pixelData.accept(w);
        return w.toByteArray();
    }

    static byte[] encodeJpeg(int index, int tileSize) {
        BufferedImage tile = new BufferedImage(tileSize, tileSize, BufferedImage.TYPE_INT_RGB);
        int[] pixels = TilePainter.paint(index, tileSize, tileSize);
        System.arraycopy(pixels, 0, ((DataBufferInt) tile.getRaster().getDataBuffer()).getData(), 0, pixels.length);

        ImageWriter writer = JPEG_WRITER.get();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream(32 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(jpeg)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(tile, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding of tile " + index + " failed", e);
        } finally {
            writer.setOutput(null);
        }
        return jpeg.toByteArray();
    }

    /** Decimal String value without exponent (PS3.5 6.2, VR DS allows at most 16 characters). */
    private static String ds(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
