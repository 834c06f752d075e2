/**
 * Makes the demo library's media into src/server/demo/learning-media/: micro-lessons and a micro-film as H.264/AAC
 * MP4 (slides drawn by ffmpeg with a CJK font, narration spoken by espeak-ng in Mandarin), micro-talks as AAC
 * audio, the document as a PDF of rendered pages, a JPEG cover per item, and manifest.json for the demo seed.
 * Run through scripts/make-demo-media.sh (checks the tools). Same input, same output apart from encoder metadata.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT, ITEMS } from './items.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '../../src/server/demo/learning-media');
const FONT = 'Noto Sans CJK SC';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-media-'));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const ffmpeg = (args) => run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
const durationOf = (file) =>
  Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).trim());
const esc = (s) => s.replace(/[\\:',[\];= ]/g, (c) => `\\${c}`);

let n = 0;
function textFile(text) {
  const f = path.join(tmp, `t${n++}.txt`);
  fs.writeFileSync(f, text);
  return f;
}

/** The drawtext/drawbox filters of one slide. */
function slideFilters(slide, theme) {
  const f = [
    `drawbox=x=0:y=0:w=iw:h=72:color=${theme.band}:t=fill`,
    `drawtext=font=${esc(FONT)}:textfile=${textFile(slide.title)}:fontcolor=white:fontsize=30:x=32:y=19`,
  ];
  slide.lines.forEach((line, i) => {
    f.push(
      `drawtext=font=${esc(FONT)}:textfile=${textFile(line)}:fontcolor=${theme.text}:fontsize=26:x=48:y=${112 + i * 52}`,
    );
  });
  f.push(
    `drawtext=font=${esc(FONT)}:textfile=${textFile('党建平台 · 互联网+党建学习')}:fontcolor=${theme.muted}:fontsize=16:x=w-tw-24:y=h-34`,
  );
  return f.join(',');
}

const THEMES = {
  micro_lesson: { bg: '0xfdf6ec', band: '0xc4161c', text: '0x262626', muted: '0x8c8c8c' },
  micro_talk: { bg: '0xfff1f0', band: '0xa8071a', text: '0x262626', muted: '0x8c8c8c' },
  micro_film: { bg: '0x1f1f1f', band: '0x8c0a0f', text: '0xf5f5f5', muted: '0xbfbfbf' },
};

function narration(text, file) {
  run('espeak-ng', ['-v', 'cmn', '-s', '165', '-w', file, text]);
}

function makeVideoSegments(item) {
  const theme = THEMES[item.kind];
  return item.slides.map((slide, i) => {
    const wav = path.join(tmp, `${item.file}-${i}.wav`);
    narration(slide.say, wav);
    const d = (durationOf(wav) + 1.2).toFixed(2);
    const seg = path.join(tmp, `${item.file}-${i}.mp4`);
    ffmpeg([
      ...['-f', 'lavfi', '-i', `color=c=${theme.bg}:s=640x360:r=15:d=${d}`],
      ...['-i', wav],
      ...['-filter_complex', `[0:v]${slideFilters(slide, theme)}[v];[1:a]apad,aresample=22050[a]`],
      ...['-map', '[v]', '-map', '[a]', '-t', d],
      ...[
        '-c:v',
        'libx264',
        '-profile:v',
        'main',
        '-pix_fmt',
        'yuv420p',
        '-preset',
        'veryslow',
        '-crf',
        '30',
        '-g',
        '30',
      ],
      ...['-c:a', 'aac', '-b:a', '40k', '-ac', '1'],
      seg,
    ]);
    return seg;
  });
}

function concat(segments, out, extra = []) {
  const list = path.join(tmp, `${path.basename(out)}.txt`);
  fs.writeFileSync(list, segments.map((s) => `file '${s}'`).join('\n'));
  ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, ...extra, out]);
}

function cover(fromVideo, out, at = 0.6) {
  ffmpeg(['-ss', String(at), '-i', fromVideo, '-frames:v', '1', '-q:v', '5', out]);
}

// ---- the PDF: JPEG pages as DCTDecode images, one per A4 page -----------------------------------------------------
function pdfOfJpegs(jpegs, out, { width, height }) {
  const parts = [];
  const offsets = [];
  let size = 0;
  const push = (chunk) => {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1');
    parts.push(b);
    size += b.length;
  };
  const object = (id, body) => {
    offsets[id] = size;
    push(`${id} 0 obj\n`);
    for (const b of body) push(b);
    push('\nendobj\n');
  };
  const pageIds = jpegs.map((_, i) => 3 + i * 3);
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, [`<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${jpegs.length} >>`]);
  jpegs.forEach((file, i) => {
    const [page, content, image] = [3 + i * 3, 4 + i * 3, 5 + i * 3];
    const data = fs.readFileSync(file);
    const draw = `q 595 0 0 842 0 0 cm /Im${i} Do Q`;
    object(page, [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im${i} ${image} 0 R >> >> /Contents ${content} 0 R >>`,
    ]);
    object(content, [`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`]);
    object(image, [
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${data.length} >>\nstream\n`,
      data,
      '\nendstream',
    ]);
  });
  const count = 3 + jpegs.length * 3;
  const xref = size;
  push(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let id = 1; id < count; id++) push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  fs.writeFileSync(out, Buffer.concat(parts));
}

function makeDocument(doc) {
  const [w, h] = [1240, 1754];
  const jpegs = doc.pages.map((lines, p) => {
    const filters = lines
      .map((line, i) =>
        line === ''
          ? null
          : `drawtext=font=${esc(FONT)}:textfile=${textFile(line)}:fontcolor=black:fontsize=${p === 0 && i === 0 ? 46 : 36}:x=120:y=${160 + i * 72}`,
      )
      .filter(Boolean);
    filters.push(
      `drawtext=font=${esc(FONT)}:textfile=${textFile(`— ${p + 1} —`)}:fontcolor=0x595959:fontsize=26:x=(w-tw)/2:y=h-110`,
    );
    const out = path.join(tmp, `${doc.file}-${p}.jpg`);
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `color=c=white:s=${w}x${h}:d=1`,
      '-vf',
      filters.join(','),
      '-frames:v',
      '1',
      '-q:v',
      '6',
      out,
    ]);
    return out;
  });
  pdfOfJpegs(jpegs, path.join(OUT, `${doc.file}.pdf`), { width: w, height: h });
  ffmpeg(['-i', jpegs[0], '-vf', 'crop=1240:698:0:0,scale=640:360', '-q:v', '5', path.join(OUT, `${doc.file}.jpg`)]);
  return {
    file: `${doc.file}.pdf`,
    kind: doc.kind,
    title: doc.title,
    summary: doc.summary,
    duration: 0,
    pages: doc.pages.length,
    topics: doc.topics,
    cover: `${doc.file}.jpg`,
  };
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const manifest = [];
for (const item of ITEMS) {
  const segments = makeVideoSegments(item);
  const coverFile = `${item.file}.jpg`;
  cover(segments[0], path.join(OUT, coverFile));
  let file;
  if (item.kind === 'micro_talk') {
    file = `${item.file}.m4a`;
    concat(segments, path.join(OUT, file), ['-vn', '-c:a', 'copy', '-movflags', '+faststart']);
  } else {
    file = `${item.file}.mp4`;
    concat(segments, path.join(OUT, file), ['-c', 'copy', '-movflags', '+faststart']);
  }
  const duration = Math.round(durationOf(path.join(OUT, file)));
  manifest.push({
    file,
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    duration,
    topics: item.topics,
    cover: coverFile,
  });
  console.log(`${file}: ${duration} s`);
}
manifest.push(makeDocument(DOCUMENT));
fs.writeFileSync(path.join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${manifest.length} items in ${OUT}`);
