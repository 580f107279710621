import { FIELD_LABELS, LOW_CONFIDENCE } from './fields.ts';
import type { Box, Identity, OcrError, Recognition } from './recognize.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface Elements {
  image: HTMLImageElement;
  boxes: SVGSVGElement;
  legend: HTMLElement;
  badges: HTMLElement;
  error: HTMLElement;
  nik: HTMLElement;
  fields: HTMLTableElement;
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

/** Clears what the previous card showed. */
export function clear(ui: Elements): void {
  for (const node of [ui.boxes, ui.legend, ui.badges, ui.error, ui.nik, ui.fields]) node.replaceChildren();
  ui.error.hidden = true;
}

export function renderRecognition(ui: Elements, answer: Recognition): void {
  clear(ui);
  ui.badges.append(...badges(answer));
  if (answer.__typename === 'OcrError') renderError(ui, answer);
  else renderIdentity(ui, answer);
}

/** Whether this answer cost anything, in the words a reviewer needs. */
function badges(answer: Recognition): HTMLElement[] {
  const list = [element('span', answer.cached ? 'Cached: this upload cost nothing' : 'Recognised now', answer.cached ? 'badge cached' : 'badge')];
  if (answer.charged) list.push(element('span', answer.cached ? 'Charged once, earlier' : 'Charged by the paid API', 'badge charged'));
  else list.push(element('span', 'Not charged', 'badge free'));
  return list;
}

function renderError(ui: Elements, error: OcrError): void {
  ui.error.hidden = false;
  ui.error.append(
    element('strong', `No identity: ${error.code}`),
    element('p', error.message),
    element('p', error.retryable ? 'Sending the same image again later may work.' : 'Sending the same image again will give the same answer; take a new photo.'),
  );
}

function renderIdentity(ui: Elements, identity: Identity): void {
  const confidence = new Map(identity.confidence.map((c) => [c.field, c.confidence]));
  const located = new Map(identity.fieldBoxes.map((b) => [b.field, b.box]));
  const isLow = (field: string) => (confidence.get(field) ?? 1) < LOW_CONFIDENCE;

  drawBoxes(ui, identity, isLow);
  ui.nik.append(...nikInWords(identity));

  const head = element('tr');
  head.append(element('th', 'Field'), element('th', 'As read'), element('th', 'Confidence'));
  ui.fields.append(head);
  for (const [key, label] of FIELD_LABELS) {
    const value = identity.raw[key];
    if (value == null || value === '') continue;
    const row = element('tr', undefined, isLow(key) ? 'low' : '');
    row.dataset.field = key;
    const score = confidence.get(key);
    row.append(
      element('th', label),
      element('td', value, key === 'id' ? 'value nik-value' : 'value'),
      element('td', score === undefined ? '—' : `${Math.floor(score * 100)}%${isLow(key) ? ' — check' : ''}`),
    );
    if (!located.has(key)) row.title = 'Not located on the image';
    // Pointing at a row lights up its box on the card, and the other way round.
    row.addEventListener('mouseenter', () => ui.boxes.querySelector(`[data-field="${key}"]`)?.classList.add('active'));
    row.addEventListener('mouseleave', () => ui.boxes.querySelector(`[data-field="${key}"]`)?.classList.remove('active'));
    ui.fields.append(row);
  }
}

/** One rectangle per located field, and the portrait, in the image's own pixels (the SVG's viewBox). */
function drawBoxes(ui: Elements, identity: Identity, isLow: (field: string) => boolean): void {
  const { naturalWidth: width, naturalHeight: height } = ui.image;
  ui.boxes.setAttribute('viewBox', `0 0 ${width} ${height}`);
  ui.boxes.setAttribute('preserveAspectRatio', 'none');
  const rect = (box: Box, className: string, field: string) => {
    const node = document.createElementNS(SVG, 'rect');
    for (const [name, value] of Object.entries(box)) node.setAttribute(name, String(value));
    node.setAttribute('class', className);
    node.dataset.field = field;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = field;
    node.append(title);
    ui.boxes.append(node);
  };
  for (const { field, box } of identity.fieldBoxes) rect(box, isLow(field) ? 'box low' : 'box', field);
  if (identity.portrait) rect(identity.portrait, 'box portrait', 'portrait');
  ui.legend.textContent =
    identity.fieldBoxes.length === 0
      ? 'This provider does not say where it read each field (the paid API reports no boxes).'
      : `${identity.fieldBoxes.length} fields located${identity.portrait ? ', and the photo' : ''}. Orange: low confidence; dashed: the photo.`;
}

/** The NIK checks as sentences. */
function nikInWords(identity: Identity): HTMLElement[] {
  const check = identity.nikCheck;
  const out: HTMLElement[] = [element('h2', `NIK ${identity.nik}`)];
  out.push(element('p', check.valid ? 'The NIK passes every check (16 digits, known province, real birth date, serial).' : 'The NIK fails its checks:', check.valid ? 'ok' : 'bad'));
  if (check.problems.length > 0) {
    const list = element('ul');
    list.append(...check.problems.map((problem) => element('li', problem)));
    out.push(list);
  }
  const region = [check.districtName, check.regencyName, check.provinceName].filter(Boolean).join(', ');
  if (region) out.push(element('p', `Registered in ${region}.`));
  const agrees = (what: string, value: boolean | null) =>
    value === null ? `The card's ${what} could not be compared.` : value ? `The ${what} it encodes matches the card.` : `The ${what} it encodes does NOT match the card.`;
  out.push(element('p', agrees('birth date', check.birthDateMatchesCard), check.birthDateMatchesCard === false ? 'bad' : ''));
  out.push(element('p', agrees('gender', check.genderMatchesCard), check.genderMatchesCard === false ? 'bad' : ''));
  for (const warning of check.warnings) out.push(element('p', warning, 'warn'));
  return out;
}
