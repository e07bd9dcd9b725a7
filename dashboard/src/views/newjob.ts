/**
 * Starts a job from the page: a program, its parameters (a form drawn from the schema the program declares, or
 * name/value pairs for a program that declares none), and files dropped or chosen. The files go straight to
 * S3 through the presigned URLs the create answers with (one PUT per file, or one per part for a multipart upload),
 * each with its progress; then the job is submitted and its page opens.
 */
import { put, type Program, type Upload } from '../api.js';
import { h, replace } from '../dom.js';
import { bytes } from '../format.js';
import { fieldsOf, valuesOf, type Field } from '../paramschema.js';
import { errorBox } from './errors.js';
import type { Context, View } from './view.js';

export function newJobView(context: Context): View {
  const files: File[] = [];
  const programSelect = h('select', { id: 'program', name: 'program', required: true });
  const parameters = h('div', { class: 'parameters' });
  const fileList = h('ul', { class: 'files' });
  const fileInput = h('input', { type: 'file', id: 'files', multiple: true, class: 'visually-hidden' });
  const drop = h('div', { class: 'drop', tabindex: -1 },
    h('label', { for: 'files' }, 'Drop files here, or ', h('span', { class: 'link' }, 'choose files')), fileInput, fileList);
  const message = h('div', { class: 'message', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-job' }, 'Create and submit');
  const form = h('form', { class: 'new-job' },
    h('label', { for: 'program' }, 'Program'), programSelect,
    h('fieldset', {}, h('legend', {}, 'Parameters'), parameters),
    h('fieldset', {}, h('legend', {}, 'Input files'), drop),
    submit, message);
  const element = h('main', { class: 'new-job-view' }, h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('h1', {}, 'New job'), form);
  let programs: Program[] = [];
  let fields: Field[] = [];
  const showParameters = () => {
    fields = fieldsOf(programs.find((p) => p.name === programSelect.value)?.parameters);
    replace(parameters, ...(fields.length > 0 ? fields.map(fieldRow) : pairRows(parameters)));
  };
  programSelect.addEventListener('change', showParameters);

  context.api.programs().then((list) => {
    programs = list.programs;
    replace(programSelect, ...programs.map((p) => h('option', { value: p.name }, p.name)));
    showParameters();
  }, (e) => replace(message, errorBox(e)));

  const showFiles = () => replace(fileList, ...files.map((f, i) => h('li', {}, `${f.name} (${bytes(f.size)}) `,
    h('progress', { max: Math.max(1, f.size), value: 0, id: `upload-${i}`, 'aria-label': `upload of ${f.name}` }))));
  const add = (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      const same = files.findIndex((f) => f.name === file.name);
      if (same >= 0) {
        files[same] = file; // a job's input names are unique: the newer file replaces the older
      } else {
        files.push(file);
      }
    }
    showFiles();
  };
  fileInput.addEventListener('change', () => add(fileInput.files));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); add(e.dataTransfer?.files ?? null); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const params = fields.length > 0 ? valuesOf(fields, readFields(parameters, fields)) : readPairs(parameters);
      replace(message, h('p', {}, 'Creating the job…'));
      const created = await context.api.create({
        program: programSelect.value,
        parameters: params,
        inputs: files.map((f) => ({ name: f.name, size: f.size, ...(f.type ? { contentType: f.type } : {}) })),
      }, crypto.randomUUID());
      replace(message, h('p', {}, 'Uploading…'));
      await Promise.all(created.uploads.map((u) => {
        const index = files.findIndex((f) => f.name === u.name);
        const bar = fileList.querySelector<HTMLProgressElement>(`#upload-${index}`);
        return upload(u, files[index], (sent) => { if (bar) { bar.value = sent; } });
      }));
      replace(message, h('p', {}, 'Submitting…'));
      await context.api.submit(created.job.jobId);
      context.navigate(`#/jobs/${encodeURIComponent(created.job.jobId)}`);
    } catch (error) {
      replace(message, errorBox(error));
      submit.disabled = false;
    }
  });
  return { element, dispose: () => undefined };
}

/** One declared parameter: its label (marked when required), an input of its type with its limits, its description. */
function fieldRow(field: Field): HTMLElement {
  const id = `parameter-${field.name}`;
  const help = field.description ? h('small', { id: `${id}-help`, class: 'help' }, field.description) : null;
  const common = { id, name: field.name, required: field.required, 'aria-describedby': help ? `${id}-help` : undefined };
  let input: HTMLElement;
  if (field.kind === 'boolean') {
    input = h('input', { ...common, type: 'checkbox', checked: field.initial === 'true' });
  } else if (field.kind === 'choice') {
    input = h('select', common, field.required && field.initial ? null : h('option', { value: '' }, '(default)'),
      ...(field.options ?? []).map((o) => h('option', { value: o, selected: o === field.initial }, o)));
  } else {
    input = h('input', { ...common, ...field.constraints, type: field.kind === 'string' ? 'text' : 'number',
      inputmode: field.kind === 'integer' ? 'numeric' : undefined, value: field.initial });
  }
  return h('div', { class: `field ${field.kind}`, 'data-parameter': field.name },
    h('label', { for: id }, field.label, field.required ? h('span', { class: 'required', title: 'required' }, ' *') : null),
    input, help);
}

/** What each declared parameter's input holds, a checkbox as 'true' or 'false'. */
function readFields(container: HTMLElement, fields: Field[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const field of fields) {
    const input = container.querySelector<HTMLInputElement | HTMLSelectElement>(`#parameter-${CSS.escape(field.name)}`);
    if (input) {
      raw[field.name] = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
    }
  }
  return raw;
}

/** For a program that declares no parameters: rows of a name and a value, and a button adding another row. */
function pairRows(container: HTMLElement): HTMLElement[] {
  return [pairRow(), h('button', { type: 'button', class: 'add-parameter',
    onclick: (e) => container.insertBefore(pairRow(), e.currentTarget as Node) }, 'Add a parameter')];
}

function pairRow(): HTMLElement {
  const row = h('div', { class: 'parameter' },
    h('input', { type: 'text', name: 'key', placeholder: 'name', 'aria-label': 'parameter name' }),
    h('input', { type: 'text', name: 'value', placeholder: 'value', 'aria-label': 'parameter value' }));
  row.append(h('button', { type: 'button', 'aria-label': 'remove this parameter', onclick: () => row.remove() }, '×'));
  return row;
}

/**
 * The name/value pairs typed: a value that reads as a number or a boolean is sent as one, since a program's
 * parameters are typed; a row without a name is ignored.
 */
function readPairs(container: HTMLElement): Record<string, string | number | boolean> {
  const parameters: Record<string, string | number | boolean> = {};
  for (const row of Array.from(container.querySelectorAll('.parameter'))) {
    const key = (row.querySelector<HTMLInputElement>('input[name=key]')?.value ?? '').trim();
    const value = (row.querySelector<HTMLInputElement>('input[name=value]')?.value ?? '').trim();
    if (key) {
      parameters[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value === 'true' || value === 'false' ? value === 'true' : value;
    }
  }
  return parameters;
}

/** Sends one input: a single PUT, or each missing part of a multipart upload; progress is bytes of the file sent. */
async function upload(target: Upload, file: File, onProgress: (sent: number) => void): Promise<void> {
  if (target.url && target.method && target.headers) {
    await put({ method: target.method, url: target.url, headers: target.headers }, file, onProgress);
    return;
  }
  const multipart = target.multipart;
  if (!multipart) {
    throw new Error(`The API gave no way to upload ${target.name}`);
  }
  if (multipart.parts.length < multipart.missingParts.length) {
    throw new Error(`${file.name} needs ${multipart.missingParts.length} parts, more than one answer signs: upload it with the CLI`);
  }
  const sentPerPart = new Map<number, number>();
  for (const part of multipart.parts) {
    const start = (part.partNumber - 1) * multipart.partSize;
    await put(part, file.slice(start, start + part.size), (sent) => {
      sentPerPart.set(part.partNumber, sent);
      onProgress(Array.from(sentPerPart.values()).reduce((a, b) => a + b, 0));
    });
  }
}
