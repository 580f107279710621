import { clear, renderRecognition, type Elements } from './render.ts';
import { recognize, RequestFailed } from './recognize.ts';

const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const ui: Elements = {
  image: byId('image'),
  boxes: byId('boxes'),
  legend: byId('legend'),
  badges: byId('badges'),
  error: byId('error'),
  nik: byId('nik'),
  fields: byId('fields'),
};
const drop = byId<HTMLElement>('drop');
const input = byId<HTMLInputElement>('file');
const status = byId<HTMLElement>('status');
const result = byId<HTMLElement>('result');
let shown: string | undefined;

async function review(file: File): Promise<void> {
  status.textContent = 'Reading the card…';
  status.className = 'status';
  clear(ui);
  if (shown) URL.revokeObjectURL(shown);
  shown = URL.createObjectURL(file);
  const loaded = new Promise((resolve) => ui.image.addEventListener('load', resolve, { once: true }));
  ui.image.src = shown;
  result.hidden = false;
  try {
    // The boxes are drawn in the image's own pixels, so its size must be known first.
    const [answer] = await Promise.all([recognize(file), loaded]);
    renderRecognition(ui, answer);
    status.textContent = answer.__typename === 'KtpIdentity' ? 'Read.' : 'Not read: see below.';
    document.body.dataset.state = 'done';
  } catch (error) {
    status.textContent = error instanceof RequestFailed ? error.message : 'Something went wrong in this page.';
    status.className = 'status failed';
    document.body.dataset.state = 'failed';
  }
}

input.addEventListener('change', () => {
  const file = input.files?.[0];
  // Emptied so that picking the same card again is a change too.
  input.value = '';
  if (file) void review(file);
});
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void review(file);
});
