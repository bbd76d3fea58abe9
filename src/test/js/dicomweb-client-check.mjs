// Drives the frame-cache proxy with the real `dicomweb-client` (the library Slim and OHIF build on), under Node.js
// with `xhr2` as its XMLHttpRequest. Run by DicomwebClientTest.java, which installs package.json next to a copy of
// this file under target/js-client.
//
//   node dicomweb-client-check.mjs <base url, e.g. http://127.0.0.1:PORT/dicomweb> <expected.json> [--frames-only]
//
// --frames-only skips the searches and the metadata (steps 1-3) and only retrieves frames (steps 4-5): the
// proxy's upstream call counter then tells whether the frames came from its cache.
//
// expected.json: {"studyInstanceUID", "seriesInstanceUID", "sopInstanceUID", "numberOfFrames",
//                 "frameSha256": {"1": "<hex>", ...}}   (SHA-256 of each frame exactly as stored)
//
// On success prints one JSON line with what the client got (and the Accept header it sent for each call) and
// exits 0; on any failure prints the reason on stderr and exits 1.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import XHR2 from 'xhr2';
import dwc from 'dicomweb-client';

// the build's own `version` export is stale (0.11.3 says '0.5.2'): ask the installed package instead
const CLIENT_VERSION = createRequire(import.meta.url)('dicomweb-client/package.json').version;
const XHR2_VERSION = createRequire(import.meta.url)('xhr2/package.json').version;
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const FRAME_NUMBERS = [1, 5, 3];
const RENDERED_FRAME = 2;

// Every request the library opens, with the headers it set: the report of what a real viewer sends.
const sent = [];
class RecordingXMLHttpRequest extends XHR2 {
  open(method, url, ...rest) {
    this.recorded = { method: String(method).toUpperCase(), url: String(url), headers: {} };
    sent.push(this.recorded);
    return super.open(method, url, ...rest);
  }

  setRequestHeader(name, value) {
    if (this.recorded) {
      this.recorded.headers[name.toLowerCase()] = value;
    }
    return super.setRequestHeader(name, value);
  }
}
globalThis.XMLHttpRequest = RecordingXMLHttpRequest;

const watchdog = setTimeout(() => fail(new Error('timed out after 50 s')), 50_000);
watchdog.unref();

function fail(error) {
  let message = error && error.stack ? error.stack : String(error);
  if (error && error.status !== undefined) {
    message += `\nHTTP status ${error.status}${error.status === 0 ? ' (no HTTP answer: connection failed)' : ''}`;
    const body = error.response;
    if (body instanceof ArrayBuffer) {
      message += `: ${Buffer.from(body).toString('utf8').slice(0, 500)}`;
    } else if (body !== undefined && body !== null) {
      message += `: ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`;
    }
  }
  const last = sent[sent.length - 1];
  if (last) {
    message += `\nlast request: ${last.method} ${last.url} Accept: ${last.headers.accept}`;
  }
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function sha256(arrayBuffer) {
  return createHash('sha256').update(new Uint8Array(arrayBuffer)).digest('hex');
}

function hex(arrayBuffer, count) {
  return Buffer.from(new Uint8Array(arrayBuffer, 0, Math.min(count, arrayBuffer.byteLength))).toString('hex');
}

function value(dataset, tag) {
  const element = dataset && dataset[tag];
  return element && Array.isArray(element.Value) ? element.Value[0] : undefined;
}

// The Accept header of the one request `call` made.
async function accepting(call) {
  const before = sent.length;
  const result = await call();
  check(sent.length === before + 1, `expected one HTTP request, the client made ${sent.length - before}`);
  return { result, accept: sent[before].headers.accept };
}

async function searchAndDescribe(client, ids, expected, accept, out) {
  // 1. QIDO-RS study search
  const studies = await accepting(() => client.searchForStudies({
    queryParams: { StudyInstanceUID: ids.studyInstanceUID },
  }));
  accept.searchForStudies = studies.accept;
  check(Array.isArray(studies.result), `searchForStudies answered ${typeof studies.result}, not an array`);
  check(studies.result.some((s) => value(s, '0020000D') === ids.studyInstanceUID),
    `searchForStudies did not find study ${ids.studyInstanceUID}`);
  out.studies = studies.result.length;

  // 2. QIDO-RS instance search in the series
  const instances = await accepting(() => client.searchForInstances({
    studyInstanceUID: ids.studyInstanceUID,
    seriesInstanceUID: ids.seriesInstanceUID,
  }));
  accept.searchForInstances = instances.accept;
  check(Array.isArray(instances.result), 'searchForInstances did not answer an array');
  check(instances.result.some((i) => value(i, '00080018') === ids.sopInstanceUID),
    `searchForInstances did not find instance ${ids.sopInstanceUID}`);
  out.instances = instances.result.length;

  // 3. WADO-RS instance metadata
  const metadata = await accepting(() => client.retrieveInstanceMetadata(ids));
  accept.retrieveInstanceMetadata = metadata.accept;
  check(Array.isArray(metadata.result) && metadata.result.length === 1,
    `retrieveInstanceMetadata answered ${JSON.stringify(metadata.result).slice(0, 200)}`);
  out.numberOfFrames = Number(value(metadata.result[0], '00280008'));
  check(out.numberOfFrames === expected.numberOfFrames,
    `NumberOfFrames ${out.numberOfFrames}, expected ${expected.numberOfFrames}`);
}

async function main() {
  const [baseUrl, expectedPath, mode] = process.argv.slice(2);
  check(baseUrl && expectedPath && (mode === undefined || mode === '--frames-only'),
    'usage: dicomweb-client-check.mjs <base url> <expected.json> [--frames-only]');
  const framesOnly = mode === '--frames-only';
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
  const ids = {
    studyInstanceUID: expected.studyInstanceUID,
    seriesInstanceUID: expected.seriesInstanceUID,
    sopInstanceUID: expected.sopInstanceUID,
  };
  const client = new dwc.api.DICOMwebClient({ url: baseUrl, verbose: false });
  const accept = {};
  const out = { client: CLIENT_VERSION, xhr2: XHR2_VERSION, node: process.versions.node };
  if (!framesOnly) {
    await searchAndDescribe(client, ids, expected, accept, out);
  }

  // 4. WADO-RS frames, as JPEG baseline (what Slim asks for a JPEG slide) and as stored bytes in any syntax
  const checkFrames = (label, frames) => {
    check(Array.isArray(frames), `${label}: frames answer is not an array`);
    check(frames.length === FRAME_NUMBERS.length, `${label}: ${frames.length} frames, expected ${FRAME_NUMBERS.length}`);
    const hashes = frames.map((frame, i) => {
      check(frame instanceof ArrayBuffer, `${label}: frame ${FRAME_NUMBERS[i]} is not an ArrayBuffer`);
      const hash = sha256(frame);
      const want = expected.frameSha256[String(FRAME_NUMBERS[i])];
      check(hash === want, `${label}: frame ${FRAME_NUMBERS[i]} (${frame.byteLength} bytes) has SHA-256 ${hash}, `
        + `expected ${want}`);
      return hash;
    });
    // the library decodes per-part headers from the first part only (dicomweb-client 0.11: addHeaders)
    return { hashes, contentType: frames[0].contentType ?? null, transferSyntaxUID: frames[0].transferSyntaxUID ?? null };
  };
  const jpeg = await accepting(() => client.retrieveInstanceFrames({
    ...ids,
    frameNumbers: FRAME_NUMBERS,
    mediaTypes: [{ mediaType: 'image/jpeg', transferSyntaxUID: JPEG_BASELINE }],
  }));
  accept.retrieveInstanceFramesJpeg = jpeg.accept;
  const jpegFrames = checkFrames('image/jpeg', jpeg.result);
  out.frames = jpegFrames.hashes;
  out.framesContentType = jpegFrames.contentType;
  out.framesTransferSyntaxUID = jpegFrames.transferSyntaxUID;
  check(jpegFrames.contentType === 'image/jpeg', `image/jpeg frames came as ${jpegFrames.contentType}`);
  check(jpegFrames.transferSyntaxUID === JPEG_BASELINE,
    `image/jpeg frames carry transfer-syntax ${jpegFrames.transferSyntaxUID}`);

  const octet = await accepting(() => client.retrieveInstanceFrames({
    ...ids,
    frameNumbers: FRAME_NUMBERS,
    mediaTypes: [{ mediaType: 'application/octet-stream', transferSyntaxUID: '*' }],
  }));
  accept.retrieveInstanceFramesAnySyntax = octet.accept;
  const octetFrames = checkFrames('application/octet-stream; transfer-syntax=*', octet.result);
  out.octetFrames = octetFrames.hashes;
  out.octetContentType = octetFrames.contentType;
  out.octetTransferSyntaxUID = octetFrames.transferSyntaxUID;

  // 5. WADO-RS rendered frame
  const rendered = await accepting(() => client.retrieveInstanceFramesRendered({
    ...ids,
    frameNumbers: [RENDERED_FRAME],
    mediaTypes: [{ mediaType: 'image/jpeg' }],
  }));
  accept.retrieveInstanceFramesRendered = rendered.accept;
  const image = Array.isArray(rendered.result) ? rendered.result[0] : rendered.result;
  check(image instanceof ArrayBuffer && image.byteLength > 2, 'rendered frame is not a non-empty ArrayBuffer');
  out.rendered = hex(image, 4);
  out.renderedBytes = image.byteLength;
  out.renderedContentType = image.contentType ?? null;
  check(out.rendered.startsWith('ffd8'), `rendered frame starts with ${out.rendered}, not a JPEG SOI (ffd8)`);

  out.accept = accept;
  out.requests = sent.map((r) => `${r.method} ${r.url.replace(baseUrl, '')}`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(() => process.exit(0), fail);
