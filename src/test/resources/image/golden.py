# Independent references for ImageGoldenTest, made with Debian's OpenCV, Pillow (libjpeg, LittleCMS 2) and dwebp.
# Usage: golden.py DIR. Reads the inputs the test wrote to DIR and writes the references next to them.
import io, subprocess, sys
import numpy as np, cv2
from PIL import Image, ImageCms, JpegImagePlugin

d = sys.argv[1] + '/'

def load(name, w, h, c=3):
    return np.fromfile(d + name, dtype=np.uint8).reshape(h, w, c) if c > 1 else np.fromfile(d + name, dtype=np.uint8).reshape(h, w)

def save(name, a):
    np.ascontiguousarray(a, dtype=np.uint8).tofile(d + name)

zone = load('zone.rgb', 240, 240)
odd = load('odd.rgb', 250, 237)
gray = load('gray.g', 250, 237, 1)
patches = load('patches.rgb', 96, 64)

# downsampling: OpenCV INTER_AREA / INTER_NEAREST (the reference proxy's library), Pillow's kernels
for n in (2, 3, 4):
    save('area%d.rgb' % n, cv2.resize(zone, (240 // n, 240 // n), interpolation=cv2.INTER_AREA))
save('area_odd3.rgb', cv2.resize(odd, (83, 79), interpolation=cv2.INTER_AREA))
save('nearest_odd3.rgb', cv2.resize(odd, (83, 79), interpolation=cv2.INTER_NEAREST))
for name, f in (('linear', Image.BILINEAR), ('cubic', Image.BICUBIC), ('lanczos3', Image.LANCZOS)):
    save('pil_%s.rgb' % name, np.asarray(Image.fromarray(odd).resize((83, 79), f)))
save('pil_cubic_gray.g', np.asarray(Image.fromarray(gray).resize((83, 79), Image.BICUBIC)))
save('pil_cubic_up.rgb', np.asarray(Image.fromarray(patches).resize((150, 100), Image.BICUBIC)))

# viewport: the text of PS3.18 8.3.5.1.3 in numpy (crop at sx,sy spanning sw,sh; negative spans flip), then scale
for i, (vw, vh, sx, sy, sw, sh) in enumerate([(40, 30, 10, 20, 40, 30), (40, 30, 50, 20, -40, 30),
        (40, 30, 10, 50, 40, -30), (40, 30, 50, 50, -40, -30), (20, 15, 10, 20, 40, 30), (20, 100, 60, 20, -40, 30)]):
    x0 = sx + sw if sw < 0 else sx
    y0 = sy + sh if sh < 0 else sy
    r = odd[y0:y0 + abs(sh), x0:x0 + abs(sw)]
    if sw < 0:
        r = r[:, ::-1]
    if sh < 0:
        r = r[::-1]
    s = min(vw / abs(sw), vh / abs(sh))
    size = (max(1, min(vw, int(np.floor(abs(sw) * s + 0.5)))), max(1, min(vh, int(np.floor(abs(sh) * s + 0.5)))))
    if size != (abs(sw), abs(sh)):
        r = cv2.resize(np.ascontiguousarray(r), size, interpolation=cv2.INTER_AREA)
    save('viewport%d.rgb' % i, r)
    open(d + 'viewport%d.size' % i, 'w').write('%d %d' % size)

# JPEG: Pillow's tables for the same quality, and what Pillow reads from the proxy's JPEGs
report = []
for q in (1, 10, 50, 75, 95, 100):
    buf = io.BytesIO()
    Image.fromarray(patches).save(buf, 'JPEG', quality=q, subsampling=0)
    pil = Image.open(io.BytesIO(buf.getvalue()))
    java = Image.open(d + 'java_q%d.jpg' % q)
    save('java_q%d.jpg.rgb' % q, np.asarray(java.convert('RGB')))
    report.append('q%d pil=%s java=%s sampling=%d' % (q, [list(t) for t in pil.quantization.values()],
        [list(t) for t in java.quantization.values()], JpegImagePlugin.get_sampling(java)))
open(d + 'jpeg_report.txt', 'w').write('\n'.join(report) + '\n')
open(d + 'java_icc.jpg.icc', 'wb').write(Image.open(d + 'java_icc.jpg').info.get('icc_profile') or b'')

# JPEG decoding: JPEGs made by Pillow (libjpeg) and Pillow's own decode of them
def jpeg(name, img, **kw):
    buf = io.BytesIO()
    img.save(buf, 'JPEG', **kw)
    b = buf.getvalue()
    if name == 'pil_nojfif.jpg':  # the same stream without its JFIF APP0 segment
        assert b[2:4] == b'\xff\xe0'
        b = b[:2] + b[4 + (b[4] << 8 | b[5]):]
    open(d + name, 'wb').write(b)
    save(name + '.rgb', np.asarray(Image.open(io.BytesIO(b))))
jpeg('pil_420.jpg', Image.fromarray(odd), quality=90)
jpeg('pil_444.jpg', Image.fromarray(odd), quality=90, subsampling=0)
jpeg('pil_nojfif.jpg', Image.fromarray(odd), quality=90)
jpeg('pil_gray.jpg', Image.fromarray(gray), quality=90)

# PNG and WebP written by the proxy, read by Pillow and dwebp
png = Image.open(d + 'java_icc.png')
save('java_icc.png.rgb', np.asarray(png.convert('RGB')))
open(d + 'java_icc.png.icc', 'wb').write(png.info.get('icc_profile') or b'')
subprocess.run(['dwebp', '-quiet', d + 'java_q90.webp', '-ppm', '-o', d + 'java_q90.webp.ppm'], check=True)
Image.fromarray(load('smooth.rgb', 96, 64)).save(d + 'smooth.png')
subprocess.run(['cwebp', '-quiet', '-q', '90', d + 'smooth.png', '-o', d + 'cwebp_q90.webp'], check=True)
subprocess.run(['dwebp', '-quiet', d + 'cwebp_q90.webp', '-ppm', '-o', d + 'cwebp_q90.ppm'], check=True)
save('cwebp_q90.rgb', np.asarray(Image.open(d + 'cwebp_q90.ppm').convert('RGB')))
save('java_q90.webp.rgb', np.asarray(Image.open(d + 'java_q90.webp.ppm').convert('RGB')))
open(d + 'java_q90.webp.icc', 'wb').write(Image.open(d + 'java_q90.webp').info.get('icc_profile') or b'')

# ICC: LittleCMS 2 through Pillow, with the very profiles the proxy uses
prof = {n: ImageCms.ImageCmsProfile(d + n + '.icc') for n in ('srgb', 'adobergb', 'p3')}
for a, b in (('srgb', 'adobergb'), ('srgb', 'p3'), ('adobergb', 'srgb'), ('p3', 'srgb')):
    save('icc_%s_%s.rgb' % (a, b), np.asarray(ImageCms.profileToProfile(Image.fromarray(patches), prof[a], prof[b])))
# Display P3 from its definition, without any profile: sRGB -> linear -> XYZ (D65) -> linear P3 -> sRGB curve
def m(prim, white=(0.3127, 0.3290)):
    xyz = lambda x, y: np.array([x / y, 1, (1 - x - y) / y])
    p = np.stack([xyz(*c) for c in prim], axis=1)
    return p * np.linalg.solve(p, xyz(*white))
lin = lambda v: np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
enc = lambda v: np.where(v <= 0.0031308, v * 12.92, 1.055 * np.clip(v, 0, 1) ** (1 / 2.4) - 0.055)
srgb_m = m([(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)])
p3_m = m([(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)])
v = lin(patches.reshape(-1, 3) / 255.0) @ (np.linalg.inv(p3_m) @ srgb_m).T
save('p3_analytic.rgb', np.clip(np.floor(enc(np.clip(v, 0, 1)) * 255 + 0.5), 0, 255).reshape(patches.shape))

# native YBR_FULL: Pillow's YCbCr conversion
save('ybr.rgb', np.asarray(Image.frombytes('YCbCr', (250, 237), open(d + 'ybr.raw', 'rb').read()).convert('RGB')))
print('ok')
