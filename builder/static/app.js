"use strict";
/*
 * Backend Builder's page: a plain client of the JSON API under /api (builder/README.md).
 *
 * The draft being edited is the schema itself, in the very form `copier copy
 * --data-file` takes; the page edits it in place (keeping shorthand where the user
 * did not ask for more), sends it to /api/validate after every change, and shows each
 * problem beside the element whose data-path is the longest prefix of its path.
 * Everything the user types reaches the DOM through textContent or .value only.
 */

/*
 * The one table of field types and their options. A type or option marked `feature`
 * appears only once /api/features says the schema plugin accepts it (SPEC §9.1), so
 * the builder never offers what `copier copy` would refuse. To add a type: one entry
 * here (and one in OPTIONS for any new option).
 */
const FIELD_TYPES = [
  { type: "string", label: "string", options: ["default", "min_length", "max_length", "description"] },
  { type: "text", label: "text (long)", options: ["default", "min_length", "max_length", "description"] },
  { type: "int", label: "int", options: ["default", "ge", "le", "description"] },
  { type: "float", label: "float", options: ["default", "ge", "le", "description"] },
  { type: "decimal", label: "decimal", feature: "decimal", options: ["default", "max_digits", "decimal_places", "ge", "le", "description"] },
  { type: "bool", label: "bool", options: ["default", "description"] },
  { type: "date", label: "date", options: ["default", "description"] },
  { type: "datetime", label: "datetime", options: ["default", "description"] },
  { type: "enum", label: "enum", feature: "enum", options: ["values", "default", "description"] },
  { type: "email", label: "email", feature: "email", options: ["default", "max_length", "description"] },
];
const TYPE_ALIASES = { integer: "int", str: "string", boolean: "bool" };
// Options of the options panel: how each is edited. `kind` picks the input.
const OPTIONS = {
  default: { label: "default", kind: "default", hint: "Used when the field is absent on create" },
  min_length: { label: "min length", kind: "int", min: 0, hint: "Shortest text accepted" },
  max_length: { label: "max length", kind: "int", min: 1, hint: "Longest text accepted" },
  ge: { label: "minimum (≥)", kind: "number", hint: "Smallest value accepted" },
  le: { label: "maximum (≤)", kind: "number", hint: "Largest value accepted" },
  max_digits: { label: "max digits", kind: "int", min: 1, hint: "Digits in all (default 12)" },
  decimal_places: { label: "decimal places", kind: "int", min: 0, hint: "Digits after the point (default 2)" },
  values: { label: "values", kind: "list", hint: "Comma-separated: draft, published, archived" },
  description: { label: "description", kind: "text", hint: "Shown in the API docs" },
};
// Checkboxes of every field: key, default, label, help, feature.
const FLAGS = [
  ["required", true, "required", "Must be sent on create (untick: needs a default or nullable)"],
  ["nullable", false, "nullable", "NULL allowed; null when absent on create"],
  ["unique", false, "unique", "Unique column"],
  ["index", false, "index", "Indexed column"],
  ["secret", false, "secret", "Write-only: accepted on create and update, never returned"],
  ["admin_only", false, "admin only", "Only an admin may set it (create and update)", "admin_only"],
];
// Model options beyond table/path/timestamps/owner, each behind its plugin feature.
const MODEL_LISTS = [
  ["search", "search", "String, text or email fields that ?q= searches (comma-separated)"],
];
const LEVELS = ["off", "public", "auth", "owner", "admin"];
const ACTIONS = ["create", "read", "list", "detail", "update", "delete"];
const ON_DELETE = ["restrict", "cascade", "set_null"];
const MAX_OWNER_HOPS = 3;
const PREVIEW_DELAY_MS = 600;
const VALIDATE_DELAY_MS = 200;
const RAW = "__raw__";

const state = {
  token: sessionStorage.getItem("builder.token"),
  email: sessionStorage.getItem("builder.email"),
  projects: [],
  project: null,
  draft: null,
  savedJson: null,
  versions: [],
  problems: [],
  preview: null,
  previewIsCurrent: false,
  checking: false,
  validateSeq: 0,
  validateTimer: null,
  generating: false,
  undo: [],
  undoKey: null,
  undoTime: 0,
  tab: "models",
  builds: [],
  features: { types: [], field_options: {}, model_options: {}, owner: {} },
  openOptions: new Set(), // "Model.field" whose options panel the user opened
  focusAfter: null, // a selector to focus after the next render
  nameChecks: new Map(), // data-path of a name input -> its as-you-type problem
  view: null, // the diagram's pan and zoom {x, y, k}
  code: { hash: null, files: [], selected: null, previous: new Map(), seq: 0, timer: null },
};

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "path") el.dataset.path = pathOf(value);
    else if (key === "key") el.dataset.key = value;
    else if (key === "data") for (const [k, v] of Object.entries(value)) el.dataset[k] = v;
    else if (key === "value" || key === "checked") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function pathOf(loc) {
  return loc.map(String).join(".");
}

/** A select of `choices` ([value, label]); a current value not among them is kept as RAW. */
function choice(choices, current, onChange, attrs = {}) {
  const select = h("select", attrs);
  let found = false;
  for (const [value, label] of choices) {
    const option = h("option", { value }, label);
    if (value === current) {
      option.selected = true;
      found = true;
    }
    select.append(option);
  }
  if (!found) {
    select.append(h("option", { value: RAW, selected: true }, `${JSON.stringify(current)} (as imported)`));
  }
  select.addEventListener("change", () => {
    if (select.value !== RAW) onChange(select.value);
  });
  return select;
}

/** Set an own property, even for names like "__proto__". */
function put(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function renameKey(object, oldKey, newKey) {
  const renamed = {};
  for (const [key, value] of Object.entries(object)) put(renamed, key === oldKey ? newKey : key, value);
  return renamed;
}

function isMapping(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function own(object, key) {
  return isMapping(object) && Object.prototype.hasOwnProperty.call(object, key);
}

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

function snake(name) {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

function message(text, kind = "info") {
  const box = $("#message");
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

// ---------------------------------------------------------------- API client

class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

async function api(method, path, { json, text, form, blob } = {}) {
  const headers = {};
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  let body;
  if (json !== undefined || text !== undefined) {
    headers["Content-Type"] = "application/json";
    body = text !== undefined ? text : JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch (error) {
    throw new ApiError(0, "The builder cannot be reached");
  }
  if (response.status === 401 && state.token) {
    logOut("Your session has ended: log in again.");
    throw new ApiError(401, "Signed out");
  }
  if (blob && response.ok) return response;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data ? data.detail : response.statusText);
  return data;
}

function describe(error) {
  if (Array.isArray(error.detail)) {
    return error.detail.map((item) => `${pathOf(item.loc || [])}: ${item.msg}`).join("; ");
  }
  return error.message;
}

// ---------------------------------------------------------------- accounts

async function logIn(email, password) {
  const token = await api("POST", "/api/auth/token", { form: { username: email, password } });
  state.token = token.access_token;
  state.email = email.trim().toLowerCase();
  sessionStorage.setItem("builder.token", state.token);
  sessionStorage.setItem("builder.email", state.email);
  await showApp();
}

function logOut(note = "") {
  state.token = null;
  state.email = null;
  state.project = null;
  state.draft = null;
  sessionStorage.removeItem("builder.token");
  sessionStorage.removeItem("builder.email");
  $("#app-view").hidden = true;
  $("#auth-view").hidden = false;
  $("#who").textContent = "";
  $("#logout").hidden = true;
  $("#auth-message").textContent = note;
}

function setUpAuthForm() {
  const form = $("#auth-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const register = event.submitter && event.submitter.value === "register";
    const email = form.email.value;
    const password = form.password.value;
    $("#auth-message").textContent = register ? "Creating your account…" : "Logging in…";
    try {
      if (register) await api("POST", "/api/auth/register", { json: { email, password } });
      await logIn(email, password);
      form.reset();
      $("#auth-message").textContent = "";
    } catch (error) {
      $("#auth-message").textContent = describe(error);
    }
  });
  $("#logout").addEventListener("click", () => logOut("Logged out."));
}

// ---------------------------------------------------------------- projects and versions

async function showApp() {
  $("#auth-view").hidden = true;
  $("#app-view").hidden = false;
  $("#who").textContent = state.email || "";
  $("#logout").hidden = false;
  try {
    state.features = await api("GET", "/api/features");
  } catch {
    /* without it the page offers the version 1 types only */
  }
  await loadProjects();
  if (state.projects.length && !state.project) await openProject(state.projects[state.projects.length - 1].id);
  render();
}

async function loadProjects() {
  state.projects = await api("GET", "/api/projects");
  renderProjects();
}

function renderProjects() {
  const list = $("#project-list");
  list.replaceChildren(
    ...state.projects.map((project) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            class: state.project && state.project.id === project.id ? "link current" : "link",
            data: { projectId: project.id },
            onclick: () => openProject(project.id).then(render),
          },
          project.name,
          h("span", { class: "muted" }, project.latest_version ? ` v${project.latest_version}` : " (new)")
        )
      )
    )
  );
}

function draftKey() {
  return `builder.draft.${state.email}.${state.project.id}`;
}

async function openProject(id) {
  const project = state.projects.find((p) => p.id === id);
  if (!project) return;
  state.project = project;
  state.undo = [];
  state.builds = [];
  state.view = null;
  state.preview = null;
  state.openOptions = new Set();
  state.code = { hash: null, files: [], selected: null, previous: new Map(), seq: 0, timer: null };
  const saved = project.latest_version ? await api("GET", `/api/projects/${id}/schema`) : null;
  state.savedJson = saved ? JSON.stringify(saved) : null;
  state.draft = saved || { models: {}, apis: {}, auth: {} };
  const kept = localStorage.getItem(draftKey());
  if (kept && kept !== state.savedJson) {
    try {
      state.draft = JSON.parse(kept);
      message("Your unsaved draft of this project was restored.", "info");
    } catch {
      localStorage.removeItem(draftKey());
    }
  } else {
    message("");
  }
  await loadVersions();
  renderProjects();
  validateNow();
}

async function loadVersions() {
  state.versions = await api("GET", `/api/projects/${state.project.id}/schemas`);
  renderVersions();
}

function renderVersions() {
  const list = $("#version-list");
  if (!state.project) return list.replaceChildren();
  list.replaceChildren(
    ...[...state.versions].reverse().map((v) =>
      h(
        "li",
        { data: { version: v.version } },
        h("span", {}, `v${v.version} `, h("span", { class: "muted" }, new Date(v.updated_at).toLocaleString())),
        h("button", { class: "small", onclick: () => viewVersion(v.version) }, "View"),
        h("button", { class: "small", onclick: () => restoreVersion(v.version) }, "Restore")
      )
    )
  );
  if (!state.versions.length) list.append(h("li", { class: "muted" }, "No saved version yet"));
  renderCompare();
}

function renderCompare() {
  const form = $("#compare-form");
  form.hidden = state.versions.length < 2;
  if (form.hidden) return;
  const numbers = state.versions.map((v) => v.version);
  const fill = (select, chosen) => {
    const keep = numbers.includes(Number(select.value)) ? Number(select.value) : chosen;
    select.replaceChildren(...numbers.map((n) => h("option", { value: n, selected: n === keep }, `v${n}`)));
  };
  fill($("#compare-a"), numbers[numbers.length - 2]);
  fill($("#compare-b"), numbers[numbers.length - 1]);
}

async function compareVersions(a, b) {
  try {
    const result = await api("GET", `/api/projects/${state.project.id}/schemas/${a}/diff/${b}`);
    $("#diff-title").textContent = `${state.project.name}: v${a} → v${b}`;
    const pre = $("#diff-text");
    if (!result.diff) pre.replaceChildren(h("span", {}, `v${a} and v${b} are the same schema.`));
    else {
      pre.replaceChildren(
        ...result.diff.split("\n").map((line) => {
          const kind = line.startsWith("@@") ? "hunk" : line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : "";
          return h("span", { class: kind || null }, kind ? line : `${line}\n`);
        })
      );
    }
    $("#diff-dialog").showModal();
  } catch (error) {
    message(`Could not compare v${a} and v${b}: ${describe(error)}`, "error");
  }
}

async function createProject(name) {
  const project = await api("POST", "/api/projects", { json: { name } });
  await loadProjects();
  await openProject(project.id);
  render();
}

/**
 * Owners said explicitly (SPEC §9.5): a model whose owner is implied (its one FK to the
 * user model) gets `owner: <that fk>`, and one with no FK to the user model `owner: false`
 * (once the plugin accepts it). An ambiguous model (several FKs to the user model) is
 * left for the user to choose; the user model owns itself and takes no `owner`.
 */
function explicitOwners() {
  const user = userModelName();
  const missing = [];
  for (const name of modelNames()) {
    const model = models()[name];
    if (!isMapping(model) || name === user || own(model, "owner")) continue;
    const relations = isMapping(model.relations) ? model.relations : {};
    const toUser = Object.keys(relations).filter((fk) => relationTarget(relations[fk]) === user);
    if (toUser.length === 1) missing.push([name, toUser[0]]);
    else if (toUser.length === 0 && state.features.owner && state.features.owner.none) missing.push([name, false]);
  }
  if (!missing.length) return;
  edit(() => {
    for (const [name, owner] of missing) put(models()[name], "owner", owner);
  }, { structural: true });
}

async function saveVersion() {
  explicitOwners();
  // What is sent is what counts as saved, even if the user edits while it travels.
  const sent = JSON.stringify(state.draft);
  const saved = await api("PUT", `/api/projects/${state.project.id}/schema`, { text: sent });
  state.savedJson = sent;
  if (JSON.stringify(state.draft) === sent) localStorage.removeItem(draftKey());
  state.project.latest_version = saved.version;
  await loadVersions();
  renderProjects();
  updateToolbar();
  if (saved.unchanged) message(`No changes since version ${saved.version}: nothing new saved.`, "info");
  else message(`Saved as version ${saved.version}.`, "ok");
  return saved;
}

async function viewVersion(version) {
  const found = await api("GET", `/api/projects/${state.project.id}/schemas/${version}`);
  const dialog = $("#version-dialog");
  $("#version-title").textContent = `${state.project.name} — version ${found.version}`;
  $("#version-text").textContent = PyYAML.dump(found.schema);
  $("#version-restore").onclick = () => {
    dialog.close();
    restoreVersion(version);
  };
  $("#version-load").onclick = () => {
    dialog.close();
    edit(() => (state.draft = found.schema), { structural: true });
    message(`Version ${version} loaded into the editor (not saved yet).`, "info");
  };
  dialog.showModal();
}

async function restoreVersion(version) {
  try {
    const saved = await api("POST", `/api/projects/${state.project.id}/schemas/${version}/restore`);
    const schema = await api("GET", `/api/projects/${state.project.id}/schema`);
    pushUndo("restore");
    state.draft = schema;
    state.savedJson = JSON.stringify(schema);
    localStorage.removeItem(draftKey());
    state.project.latest_version = saved.version;
    await loadVersions();
    renderProjects();
    render();
    validateNow();
    message(`Version ${version} restored as version ${saved.version}.`, "ok");
  } catch (error) {
    message(`Could not restore version ${version}: ${describe(error)}`, "error");
  }
}

// ---------------------------------------------------------------- editing the draft

function pushUndo(key) {
  const now = Date.now();
  if (key && key === state.undoKey && now - state.undoTime < 2000) {
    state.undoTime = now;
    return;
  }
  state.undo.push(JSON.stringify(state.draft));
  if (state.undo.length > 100) state.undo.shift();
  state.undoKey = key;
  state.undoTime = now;
}

/** Apply `change` to the draft; re-render the editor when the structure changed. */
function edit(change, { structural = false, key = null } = {}) {
  pushUndo(key);
  change(state.draft);
  afterEdit(structural);
}

function afterEdit(structural) {
  message(""); // a banner is about the last action; an edit makes it old news
  localStorage.setItem(draftKey(), JSON.stringify(state.draft));
  if (structural) renderEditor();
  renderDiagram();
  updateToolbar();
  scheduleValidate();
}

function undo() {
  if (!state.undo.length) return;
  state.draft = JSON.parse(state.undo.pop());
  state.undoKey = null;
  afterEdit(true);
}

function models() {
  if (!isMapping(state.draft.models)) return {};
  return state.draft.models;
}

function modelNames() {
  return Object.keys(models());
}

function modelOf(name) {
  const model = models()[name];
  return isMapping(model) ? model : {};
}

function fieldsOf(name) {
  const fields = modelOf(name).fields;
  return isMapping(fields) ? fields : {};
}

function relationsOf(name) {
  const relations = modelOf(name).relations;
  return isMapping(relations) ? relations : {};
}

function ensureMapping(parent, key) {
  if (!isMapping(parent[key])) put(parent, key, {});
  return parent[key];
}

/** A field's options as a mapping (shorthand `title: string` reads as {type: "string"}). */
function fieldSpec(value) {
  if (typeof value === "string") return { type: value };
  return isMapping(value) ? value : { type: value };
}

function setFieldOption(modelName, fieldName, key, value) {
  const fields = ensureMapping(ensureMapping(models(), modelName), "fields");
  const current = fields[fieldName];
  let spec = typeof current === "string" ? { type: current } : isMapping(current) ? { ...current } : { type: current };
  if (value === undefined) delete spec[key];
  else put(spec, key, value);
  const keys = Object.keys(spec);
  // Keep the shorthand when only the type is left.
  if (keys.length === 1 && keys[0] === "type" && typeof spec.type === "string") spec = spec.type;
  put(fields, fieldName, spec);
}

function defaultLevelFor(action) {
  return action === "list" || action === "detail" ? "read" : "admin";
}

function userModelName() {
  const auth = isMapping(state.draft.auth) ? state.draft.auth : {};
  return typeof auth.user_model === "string" ? auth.user_model : "User";
}

// -- names, types, features and owners

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function hasFeature(name) {
  const f = state.features;
  return (f.types || []).includes(name) || (f.field_options || {})[name] === true || (f.model_options || {})[name] === true;
}

function canonicalType(type) {
  const kind = String(type).trim().toLowerCase();
  return TYPE_ALIASES[kind] || kind;
}

function typeEntry(type) {
  return FIELD_TYPES.find((entry) => entry.type === canonicalType(type)) || null;
}

function offeredTypes() {
  return FIELD_TYPES.filter((entry) => !entry.feature || hasFeature(entry.feature));
}

function relationTarget(target) {
  if (typeof target === "string") return target;
  return isMapping(target) && typeof target.model === "string" ? target.model : null;
}

function modelNameProblem(name, oldName = null) {
  if (!name) return "A model needs a name.";
  if (!IDENTIFIER.test(name)) return "Use letters, digits and _ only, starting with a letter (e.g. BlogPost).";
  if (name !== oldName && own(models(), name)) return `There is a model named ${name} already.`;
  return null;
}

function fieldNameProblem(modelName, name, oldName = null) {
  if (!name) return "A field needs a name.";
  if (!IDENTIFIER.test(name)) return "Use letters, digits and _ only, starting with a letter (e.g. created_by).";
  const clash = Object.keys(fieldsOf(modelName)).find((f) => f !== oldName && f.toLowerCase() === name.toLowerCase());
  if (clash) return `${modelName} has a field named ${clash} already.`;
  return null;
}

/** Warnings (not errors): names that work but probably surprise (SPEC §3 plurals). */
function nameWarnings() {
  const warnings = new Map();
  const names = modelNames();
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const name of names) {
    const low = name.toLowerCase();
    const singular = [low.slice(0, -1), low.slice(0, -2), low.endsWith("ies") ? low.slice(0, -3) + "y" : null]
      .filter(Boolean)
      .map((s) => lower.get(s))
      .find((found) => found && found !== name && (low.endsWith("s")));
    if (singular) {
      warnings.set(name, `${name} looks like the plural of ${singular}: models are named in the singular (paths and tables are pluralised for you).`);
    } else if (/[^su]s$/i.test(name) && !/(ss|us|is)$/i.test(name)) {
      warnings.set(name, `${name} looks plural: models are named in the singular (${name} gets the path and table of its plural).`);
    }
  }
  return warnings;
}

/**
 * Who owns a record of `modelName`, as the schema says or implies (SPEC §9.1):
 * {self: true} for the user model, {hops: [{model, fk, parent}...]} up to the user
 * model, or null when it has none.
 */
function ownerOf(modelName, depth = 0) {
  const user = userModelName();
  if (modelName === user) return { self: true, hops: [] };
  const declared = modelOf(modelName).owner;
  if (declared === false) return null;
  const relations = relationsOf(modelName);
  let fk = typeof declared === "string" ? declared : null;
  if (!fk) {
    const toUser = Object.keys(relations).filter((k) => relationTarget(relations[k]) === user);
    if (toUser.length !== 1) return null;
    fk = toUser[0];
  }
  const parent = relationTarget(relations[fk]);
  if (!parent) return null;
  const hop = { model: modelName, fk, parent };
  if (parent === user) return { hops: [hop] };
  if (depth + 1 >= MAX_OWNER_HOPS) return null;
  const above = ownerOf(parent, depth + 1);
  if (!above || above.self) return null;
  return { hops: [hop, ...above.hops] };
}

function describeOwner(owner) {
  if (!owner) return "no owner";
  if (owner.self) return "each user owns their own record";
  return owner.hops.map((hop) => `${hop.model}.${hop.fk} → ${hop.parent}`).join(", ");
}

/** The owner choices of a model: FKs to the user model, FKs to owned parents, none. */
function ownerChoices(modelName) {
  const user = userModelName();
  const relations = relationsOf(modelName);
  const choices = [];
  for (const [fk, target] of Object.entries(relations)) {
    const parent = relationTarget(target);
    if (parent === user) choices.push([fk, `${fk} → ${user} (the user in ${fk})`]);
    else if (parent && state.features.owner && state.features.owner.through_parent) {
      const above = ownerOf(parent, 1);
      if (above && !above.self) choices.push([fk, `${fk} → ${parent} (owned through ${parent}: ${describeOwner(above)})`]);
    }
  }
  if (state.features.owner && state.features.owner.none) choices.push(["__none__", "no owner (owner: false)"]);
  return choices;
}

function levelMeanings(modelName) {
  const owner = ownerOf(modelName);
  const plural = (state.preview && state.preview.models.find((m) => m.name === modelName) || {}).table || `${snake(modelName)} records`;
  let ownerText;
  if (owner && owner.self) ownerText = "an admin, or the user whose account it is (a user reads and edits only their own record).";
  else if (owner) {
    ownerText =
      `an admin, or the user who owns the record (${describeOwner(owner)}). On create the owner is the caller; ` +
      `a non-admin's list shows only their own ${plural}; someone else's answers 404.`;
  } else ownerText = `not available: ${modelName} has no owner. Choose one on the Models tab (an FK to ${userModelName()}, or to an owned parent).`;
  return [
    ["public", "anyone, with or without a token."],
    ["auth", owner && !owner.self ? `any signed-in user; on create the owner (${owner.hops[0].fk}) is the caller unless an admin sets it.` : "any signed-in user (a valid token)."],
    ["owner", ownerText],
    ["admin", "only users whose role is admin."],
    ["off", "the endpoint is not generated."],
  ];
}

// -- model actions

function addModel(name) {
  name = name.trim();
  const problem = modelNameProblem(name);
  if (problem) return problem;
  state.focusAfter = `section.model[data-model="${CSS.escape(name)}"] input.new-field-name`;
  edit(
    (draft) => {
      ensureMapping(draft, "models");
      put(draft.models, name, { fields: {} });
    },
    { structural: true }
  );
  return null;
}

function renameModel(oldName, newName) {
  newName = newName.trim();
  if (newName === oldName) return null;
  const problem = modelNameProblem(newName, oldName);
  if (problem) return problem;
  state.focusAfter = `section.model[data-model="${CSS.escape(newName)}"] input.model-name`;
  edit(
    (draft) => {
      draft.models = renameKey(draft.models, oldName, newName);
      if (isMapping(draft.apis) && own(draft.apis, oldName)) draft.apis = renameKey(draft.apis, oldName, newName);
      if (isMapping(draft.auth) && draft.auth.user_model === oldName) draft.auth.user_model = newName;
      for (const model of Object.keys(draft.models)) {
        const relations = relationsOf(model);
        for (const [fk, target] of Object.entries(relations)) {
          if (target === oldName) put(relations, fk, newName);
          else if (isMapping(target) && target.model === oldName) target.model = newName;
        }
      }
    },
    { structural: true }
  );
  message(`Renamed ${oldName} to ${newName}. Its table is renamed too unless "table" keeps the old one.`, "info");
  return null;
}

function deleteModel(name) {
  const names = modelNames();
  const next = names[names.indexOf(name) + 1] || names[names.indexOf(name) - 1];
  state.focusAfter = next ? `section.model[data-model="${CSS.escape(next)}"] input.model-name` : "#new-model-name";
  edit(
    (draft) => {
      delete draft.models[name];
      if (isMapping(draft.apis)) delete draft.apis[name];
      if (isMapping(draft.auth) && draft.auth.user_model === name) delete draft.auth.user_model;
      for (const model of Object.keys(draft.models)) {
        const relations = relationsOf(model);
        for (const [fk, target] of Object.entries(relations)) {
          if (target === name || (isMapping(target) && target.model === name)) {
            delete relations[fk];
            if (draft.models[model].owner === fk) delete draft.models[model].owner;
          }
        }
      }
    },
    { structural: true }
  );
  message(`Deleted ${name} (Undo brings it back).`, "info");
}

function setModelOption(modelName, key, value, structural = false) {
  edit(
    () => {
      const model = ensureMapping(models(), modelName);
      if (value === undefined) delete model[key];
      else put(model, key, value);
    },
    { key: `model-option:${modelName}:${key}`, structural }
  );
}

// -- field actions

function addField(modelName, name, type = "string") {
  name = name.trim();
  const problem = fieldNameProblem(modelName, name);
  if (problem) return problem;
  state.focusAfter = `section.model[data-model="${CSS.escape(modelName)}"] input.new-field-name`;
  edit(() => put(ensureMapping(ensureMapping(models(), modelName), "fields"), name, type), {
    structural: true,
  });
  return null;
}

function renameField(modelName, oldName, newName) {
  newName = newName.trim();
  if (newName === oldName) return null;
  const problem = fieldNameProblem(modelName, newName, oldName);
  if (problem) return problem;
  state.focusAfter = `section.model[data-model="${CSS.escape(modelName)}"] .field[data-field="${CSS.escape(newName)}"] input[name=field-name]`;
  const key = `${modelName}.${oldName}`;
  if (state.openOptions.delete(key)) state.openOptions.add(`${modelName}.${newName}`);
  edit(
    (draft) => {
      const model = draft.models[modelName];
      model.fields = renameKey(model.fields, oldName, newName);
      if (isMapping(model.relations) && own(model.relations, oldName)) {
        model.relations = renameKey(model.relations, oldName, newName);
      }
      if (model.owner === oldName) model.owner = newName;
      if (modelName === userModelName() && isMapping(draft.auth)) {
        if (draft.auth.username_field === oldName) draft.auth.username_field = newName;
        if (draft.auth.password_field === oldName) draft.auth.password_field = newName;
      }
    },
    { structural: true }
  );
  return null;
}

function deleteField(modelName, name) {
  const names = Object.keys(fieldsOf(modelName));
  const next = names[names.indexOf(name) + 1] || names[names.indexOf(name) - 1];
  const card = `section.model[data-model="${CSS.escape(modelName)}"]`;
  state.focusAfter = next ? `${card} .field[data-field="${CSS.escape(next)}"] input[name=field-name]` : `${card} input.new-field-name`;
  edit(
    (draft) => {
      const model = draft.models[modelName];
      delete model.fields[name];
    },
    { structural: true }
  );
}

// -- relation actions

/** A model that gets its first FK to the user model is owned through it, said explicitly. */
function claimOwner(model, fk) {
  const user = userModelName();
  if (model === undefined || own(model, "owner") || modelOf(user) === model) return;
  const relations = isMapping(model.relations) ? model.relations : {};
  const toUser = Object.keys(relations).filter((k) => relationTarget(relations[k]) === user);
  if (toUser.length === 1 && toUser[0] === fk) put(model, "owner", fk);
}

function addRelation(modelName) {
  const targets = modelNames().filter((name) => name !== modelName);
  const target = targets[0] || modelName;
  let fk = `${snake(target)}_id`;
  for (let n = 2; own(relationsOf(modelName), fk); n += 1) fk = `${snake(target)}${n}_id`;
  state.focusAfter = `section.model[data-model="${CSS.escape(modelName)}"] .relation[data-relation="${CSS.escape(fk)}"] select[name=model]`;
  edit(
    () => {
      const model = ensureMapping(models(), modelName);
      put(ensureMapping(model, "relations"), fk, target);
      if (modelName !== userModelName()) claimOwner(model, fk);
    },
    { structural: true }
  );
}

function setRelationOption(modelName, fk, key, value) {
  edit(
    () => {
      const model = ensureMapping(models(), modelName);
      const relations = ensureMapping(model, "relations");
      const current = relations[fk];
      let spec = typeof current === "string" ? { model: current } : isMapping(current) ? { ...current } : { model: current };
      if (value === undefined) delete spec[key];
      else put(spec, key, value);
      const keys = Object.keys(spec);
      if (keys.length === 1 && keys[0] === "model" && typeof spec.model === "string") spec = spec.model;
      put(relations, fk, spec);
      if (key === "model") {
        if (model.owner === fk && value !== userModelName() && !(state.features.owner || {}).through_parent) delete model.owner;
        if (modelName !== userModelName()) claimOwner(model, fk);
      }
    },
    { key: `relation:${modelName}:${fk}:${key}`, structural: key === "model" || key === "on_delete" }
  );
}

function renameRelation(modelName, oldFk, newFk) {
  newFk = newFk.trim();
  if (newFk === oldFk) return null;
  if (!IDENTIFIER.test(newFk)) return "Use letters, digits and _ only (e.g. author_id).";
  if (own(relationsOf(modelName), newFk)) return `${modelName} has a relation through ${newFk} already.`;
  state.focusAfter = `section.model[data-model="${CSS.escape(modelName)}"] .relation[data-relation="${CSS.escape(newFk)}"] input[name=fk]`;
  edit(
    (draft) => {
      const model = draft.models[modelName];
      model.relations = renameKey(model.relations, oldFk, newFk);
      // The FK field, when declared, is the same name.
      if (isMapping(model.fields) && own(model.fields, oldFk) && !own(model.fields, newFk)) {
        model.fields = renameKey(model.fields, oldFk, newFk);
      }
      if (model.owner === oldFk) model.owner = newFk;
    },
    { structural: true }
  );
  return null;
}

function deleteRelation(modelName, fk) {
  state.focusAfter = `section.model[data-model="${CSS.escape(modelName)}"] button.add-relation`;
  edit(
    (draft) => {
      const model = draft.models[modelName];
      delete model.relations[fk];
      if (!Object.keys(model.relations).length) delete model.relations;
      if (model.owner === fk) delete model.owner;
    },
    { structural: true }
  );
}

// -- levels and auth

function setLevel(modelName, action, level) {
  edit(
    (draft) => {
      const apis = ensureMapping(draft, "apis");
      const entry = ensureMapping(apis, modelName);
      if (level === "") delete entry[action];
      else put(entry, action, level);
      if (!Object.keys(entry).length) delete apis[modelName];
    },
    { structural: false }
  );
}

function setAllLevels(modelName, level) {
  edit(
    (draft) => {
      const apis = ensureMapping(draft, "apis");
      const entry = {};
      for (const action of ["create", "read", "update", "delete"]) put(entry, action, level);
      put(apis, modelName, entry);
    },
    { structural: true }
  );
}

function setAuthOption(key, value) {
  edit(
    (draft) => {
      const auth = ensureMapping(draft, "auth");
      if (value === undefined || value === "") delete auth[key];
      else put(auth, key, value);
    },
    { key: `auth:${key}`, structural: key === "user_model" }
  );
}

function setProjectName(value) {
  edit(
    (draft) => {
      if (value.trim() === "") delete draft.project_name;
      else draft.project_name = value;
    },
    { key: "project_name" }
  );
}

/** A value typed in a text box, as the field's type would have it. */
function typedDefault(type, text) {
  if (text === "") return undefined;
  const kind = canonicalType(type);
  if (["int", "float"].includes(kind)) {
    const number = Number(text);
    return text.trim() !== "" && Number.isFinite(number) ? number : text;
  }
  if (kind === "bool") {
    if (text === "true") return true;
    if (text === "false") return false;
  }
  return text;
}

function shownValue(value) {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------- rendering: editor

function render() {
  renderProjects();
  renderVersions();
  const hasProject = Boolean(state.project && state.draft);
  $("#workspace").hidden = !hasProject;
  $("#no-project").hidden = hasProject;
  if (!hasProject) return;
  $("#project-title").textContent = state.project.name;
  renderEditor();
  renderDiagram();
  renderEndpoints();
  updateToolbar();
}

function showTab(tab, { focus = false } = {}) {
  state.tab = tab;
  renderEditor();
  if (focus) $(`#tab-${tab}`).focus();
  if (tab === "code") scheduleCodePreview(0);
  if (tab === "diagram") renderDiagram();
}

function renderEditor() {
  // Keep the focus where it was (or move it where the last action asked) across the re-render.
  const active = document.activeElement;
  const keep = active && active.dataset && active.dataset.key && active.closest("#editor") ? active.dataset.key : null;
  for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
    const current = tab.dataset.tab === state.tab;
    tab.setAttribute("aria-selected", current ? "true" : "false");
    tab.tabIndex = current ? 0 : -1;
  }
  for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== `panel-${state.tab}`;
  renderModels();
  renderApis();
  renderAuth();
  annotate();
  const wanted = state.focusAfter ? document.querySelector(state.focusAfter) : keep ? document.querySelector(`#editor [data-key="${CSS.escape(keep)}"]`) : null;
  state.focusAfter = null;
  if (wanted) wanted.focus();
}

/** Show `text` beside a name input (its as-you-type check), or clear it. */
function nameNote(input, text) {
  const box = input.parentElement;
  let note = box.querySelector(":scope > .name-check");
  if (!text) {
    if (note) note.remove();
    input.removeAttribute("aria-invalid");
    return;
  }
  if (!note) {
    note = h("div", { class: "problem-msg name-check", id: `${input.id || "n" + Math.random().toString(36).slice(2)}-check`, role: "alert" });
    box.append(note);
  }
  note.textContent = text;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", note.id);
}

/**
 * A name input that checks as the user types: first locally (empty, not an
 * identifier, taken), then through /api/validate on the draft with the new name
 * (debounced), keeping only the problems of the name itself. Enter or leaving the
 * field applies the name; a refused one stays typed, with its reason beside it.
 */
function nameInput(attrs, { current, check, trial, apply }) {
  let timer = null;
  let seq = 0;
  const input = h("input", { ...attrs, value: current, autocomplete: "off", spellcheck: "false" });
  input.addEventListener("input", () => {
    const typed = input.value.trim();
    const local = typed === current ? null : check(typed);
    nameNote(input, local);
    clearTimeout(timer);
    if (local || typed === current) return;
    const mine = ++seq;
    timer = setTimeout(async () => {
      const [draft, loc] = trial(typed);
      try {
        const result = await api("POST", "/api/validate", { json: draft });
        if (mine !== seq || input.value.trim() !== typed) return;
        const found = result.problems.filter((p) => pathOf(p.loc) === pathOf(loc));
        nameNote(input, found.map((p) => p.msg).join("; ") || null);
      } catch {
        /* the next keystroke or the full validation says more */
      }
    }, VALIDATE_DELAY_MS);
  });
  input.addEventListener("change", () => {
    clearTimeout(timer);
    seq += 1;
    const refused = apply(input.value);
    if (refused) nameNote(input, refused);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      input.value = current;
      nameNote(input, null);
    }
  });
  return input;
}

function renderModels() {
  const panel = $("#panel-models");
  const names = modelNames();
  const root = h("div", { class: "root-problems", path: [] });
  const modelsTop = h("div", { class: "models-top", path: ["models"] });
  const newName = h("input", {
    name: "name",
    id: "new-model-name",
    placeholder: "New model, e.g. BlogPost",
    "aria-label": "New model name",
    autocomplete: "off",
    oninput: (event) => nameNote(event.target, event.target.value.trim() ? modelNameProblem(event.target.value.trim()) : null),
  });
  const adder = h(
    "form",
    {
      class: "inline-form",
      id: "add-model-form",
      onsubmit: (event) => {
        event.preventDefault();
        const problem = addModel(newName.value);
        if (problem) nameNote(newName, problem);
      },
    },
    h("span", { class: "name-box" }, newName),
    h("button", { type: "submit", id: "add-model" }, "Add model")
  );
  const warnings = nameWarnings();
  const cards = names.map((name) => modelCard(name, warnings.get(name)));
  panel.replaceChildren(root, modelsTop, adder, ...cards);
  if (!names.length) panel.append(h("p", { class: "muted" }, "No models yet: add one above."));
}

/** Whether an FK may hold null (then its record can lose its owner). */
function emptiable(modelName, fk) {
  const target = relationsOf(modelName)[fk];
  const field = fieldSpec(fieldsOf(modelName)[fk]);
  return (isMapping(target) && target.on_delete === "set_null") || field.nullable === true || relationTarget(target) === modelName;
}

function ownerBox(name, spec) {
  const loc = ["models", name, "owner"];
  if (name === userModelName()) {
    return h("div", { class: "owner-box", path: loc }, h("strong", {}, "Owner: "), h("span", { class: "owner-text" }, "the user model: each user owns their own record."));
  }
  const choices = ownerChoices(name);
  const owner = ownerOf(name);
  const current = spec.owner === false ? "__none__" : own(spec, "owner") ? spec.owner : "";
  const automatic = owner ? `not set (automatic: ${owner.hops[0].fk})` : "not set (no owner)";
  const options = [...(current === "" || !choices.length ? [["", automatic]] : []), ...choices];
  const id = `owner-${name}`;
  const select = choice(options, current, (v) => setModelOption(name, "owner", v === "__none__" ? false : v || undefined, true), {
    name: "owner",
    id,
    key: `${name}.owner`,
  });
  const explain = owner
    ? `A record belongs to ${describeOwner(owner)}; the owner level lets that user (and admins) in.`
    : choices.length
      ? "No owner: the owner level is not available for this model."
      : `No owner: add a relation to ${userModelName()} (or to a model that has an owner) to make records someone's.`;
  return h(
    "div",
    { class: "owner-box", path: loc },
    h("label", { for: id }, h("strong", {}, "Owner")),
    select,
    h("span", { class: "owner-text" }, explain),
    owner && !owner.self && emptiable(name, owner.hops[0].fk)
      ? h("div", { class: "warning-msg" }, `${owner.hops[0].fk} can be empty (nullable or on delete set_null): a record without it has no owner, and at the owner level only admins reach it.`)
      : null
  );
}

function modelCard(name, warning) {
  const model = models()[name];
  const spec = isMapping(model) ? model : {};
  const fields = fieldsOf(name);
  const relations = relationsOf(name);
  const loc = ["models", name];
  const fieldNames = Object.keys(fields);

  const nameBox = h(
    "span",
    { class: "name-box", path: loc },
    nameInput(
      {
        class: "model-name",
        id: `model-name-${name}`,
        "aria-label": `Model name (${name})`,
        title: "Model name (PascalCase). Renaming also renames its table unless 'table' is set.",
        key: `${name}.name`,
      },
      {
        current: name,
        check: (typed) => modelNameProblem(typed, name),
        trial: (typed) => {
          const draft = clone(state.draft);
          draft.models = renameKey(draft.models, name, typed);
          return [draft, ["models", typed]];
        },
        apply: (typed) => renameModel(name, typed),
      }
    ),
    warning ? h("div", { class: "warning-msg", role: "note" }, warning) : null
  );
  const header = h(
    "div",
    { class: "card-head" },
    nameBox,
    name === userModelName() ? h("span", { class: "badge" }, "user model") : null,
    h("button", { class: "danger small delete-model", "aria-label": `Delete model ${name}`, onclick: () => deleteModel(name) }, "Delete model")
  );

  const textInput = (key, label, attrs = {}) =>
    h(
      "label",
      { path: [...loc, key] },
      label,
      h("input", {
        value: shownValue(spec[key]),
        placeholder: "default",
        name: key,
        size: 12,
        key: `${name}.${key}`,
        oninput: (event) => setModelOption(name, key, event.target.value || undefined),
        ...attrs,
      })
    );
  const lists = MODEL_LISTS.filter(([key]) => hasFeature(key)).map(([key, label, help]) =>
    h(
      "label",
      { path: [...loc, key], title: help },
      `${label} `,
      h("input", {
        name: key,
        key: `${name}.${key}`,
        value: Array.isArray(spec[key]) ? spec[key].join(", ") : shownValue(spec[key]),
        placeholder: "field, field",
        size: 18,
        oninput: (event) => {
          const items = event.target.value.split(",").map((v) => v.trim()).filter(Boolean);
          setModelOption(name, key, items.length ? items : undefined);
        },
      })
    )
  );
  const options = h(
    "div",
    { class: "model-options" },
    textInput("table", "table"),
    textInput("path", "path /"),
    h(
      "label",
      { path: [...loc, "timestamps"], title: "Adds created_at and updated_at, set by the server" },
      h("input", {
        type: "checkbox",
        name: "timestamps",
        key: `${name}.timestamps`,
        checked: spec.timestamps === true,
        onchange: (event) => setModelOption(name, "timestamps", event.target.checked ? true : undefined),
      }),
      " timestamps"
    ),
    lists,
    hasFeature("unique_together") ? uniqueTogether(name, spec) : null
  );

  const newFieldName = h("input", {
    name: "name",
    class: "new-field-name",
    placeholder: "new field",
    "aria-label": `New field name (${name})`,
    autocomplete: "off",
    oninput: (event) => nameNote(event.target, event.target.value.trim() ? fieldNameProblem(name, event.target.value.trim()) : null),
  });
  newFieldName.setAttribute("aria-label", "New field name");
  const newFieldType = h("select", { name: "new-type", "aria-label": "New field type" }, offeredTypes().map((t) => h("option", { value: t.type }, t.label)));
  const addFieldForm = h(
    "form",
    {
      class: "inline-form add-field-form",
      onsubmit: (event) => {
        event.preventDefault();
        const problem = addField(name, newFieldName.value, newFieldType.value);
        if (problem) nameNote(newFieldName, problem);
      },
    },
    h("span", { class: "name-box" }, newFieldName),
    newFieldType,
    h("button", { type: "submit", class: "small add-field" }, "Add field")
  );

  const relationBlock = h(
    "div",
    { class: "relations", path: [...loc, "relations"] },
    h("h3", { class: "sub" }, "Relations ", h("span", { class: "muted" }, "(one-to-many: this model's FK → the parent)")),
    Object.entries(relations).map(([fk, target]) => relationRow(name, fk, target)),
    h("button", { class: "small add-relation", "aria-label": `Add relation to ${name}`, onclick: () => addRelation(name) }, "Add relation")
  );

  const shown = ["fields", "relations", "table", "path", "timestamps", "owner", ...MODEL_LISTS.filter(([k]) => hasFeature(k)).map(([k]) => k)];
  if (hasFeature("unique_together")) shown.push("unique_together");
  const extras = Object.keys(spec)
    .filter((k) => !shown.includes(k))
    .map((k) => h("div", { class: "extra", path: [...loc, k] }, `${k}: ${JSON.stringify(spec[k])}`));

  return h(
    "section",
    { class: "card model", data: { model: name }, "aria-label": `Model ${name}` },
    header,
    options,
    ownerBox(name, spec),
    extras,
    h("div", { class: "fields", path: [...loc, "fields"] }, fieldNames.map((field) => fieldRow(name, field, fields[field]))),
    addFieldForm,
    relationBlock
  );
}

function uniqueTogether(name, spec) {
  const current = Array.isArray(spec.unique_together) ? spec.unique_together : [];
  return h(
    "label",
    { path: ["models", name, "unique_together"], title: "Each group of fields is unique together; groups separated by ;" },
    "unique together ",
    h("input", {
      name: "unique_together",
      key: `${name}.unique_together`,
      value: current.map((group) => (Array.isArray(group) ? group.join(", ") : String(group))).join("; "),
      placeholder: "a, b; c, d",
      size: 18,
      oninput: (event) => {
        const groups = event.target.value
          .split(";")
          .map((g) => g.split(",").map((v) => v.trim()).filter(Boolean))
          .filter((g) => g.length);
        setModelOption(name, "unique_together", groups.length ? groups : undefined);
      },
    })
  );
}

/** The input of one option of the options panel, as OPTIONS says it is edited. */
function optionInput(option, spec, set, id) {
  const meta = OPTIONS[option];
  const value = spec[option];
  if (meta.kind === "default" && canonicalType(spec.type) === "bool") {
    return choice(
      [["", "(none)"], ["true", "true"], ["false", "false"]],
      own(spec, "default") ? (typeof value === "boolean" ? String(value) : value) : "",
      (v) => set("default", v === "" ? undefined : v === "true"),
      { name: "default", id }
    );
  }
  if (meta.kind === "default" && canonicalType(spec.type) === "enum" && Array.isArray(spec.values)) {
    return choice([["", "(none)"], ...spec.values.map((v) => [String(v), String(v)])], own(spec, "default") ? value : "", (v) => set("default", v || undefined), { name: "default", id });
  }
  if (meta.kind === "default") {
    const kind = canonicalType(spec.type);
    return h("input", {
      name: "default",
      id,
      type: "text",
      value: shownValue(value),
      placeholder: kind === "date" ? "YYYY-MM-DD" : kind === "datetime" ? "YYYY-MM-DDTHH:MM:SS" : "",
      oninput: (event) => set("default", typedDefault(spec.type, event.target.value)),
    });
  }
  if (meta.kind === "list") {
    return h("input", {
      name: option,
      id,
      type: "text",
      value: Array.isArray(value) ? value.join(", ") : shownValue(value),
      oninput: (event) => {
        const items = event.target.value.split(",").map((v) => v.trim()).filter(Boolean);
        set(option, items.length ? items : undefined);
      },
    });
  }
  if (meta.kind === "text") {
    return h("input", { name: option, id, type: "text", value: shownValue(value), oninput: (event) => set(option, event.target.value === "" ? undefined : event.target.value) });
  }
  return h("input", {
    name: option,
    id,
    type: "number",
    step: meta.kind === "int" ? 1 : "any",
    min: meta.min,
    value: shownValue(value),
    oninput: (event) => set(option, event.target.value === "" ? undefined : Number(event.target.value)),
  });
}

function fieldRow(modelName, fieldName, value) {
  const loc = ["models", modelName, "fields", fieldName];
  const spec = fieldSpec(value);
  const key = `${modelName}.${fieldName}`;
  const set = (option, v, structural = false) =>
    edit(() => setFieldOption(modelName, fieldName, option, v), { key: `field:${key}:${option}`, structural });
  const entry = typeEntry(spec.type);
  const offered = offeredTypes();
  const typeChoices = offered.map((t) => [t.type, t.label]);
  // An alias (integer, Str) shows as its type, spelled as written; anything else "as imported".
  if (entry && !typeChoices.some(([t]) => t === spec.type)) typeChoices.push([spec.type, `${entry.type} (${spec.type})`]);
  const typeSelect = choice(typeChoices, spec.type, (v) => changeType(modelName, fieldName, v), {
    name: "type",
    "aria-label": `Type of ${fieldName}`,
    key: `${key}.type`,
  });

  const flags = FLAGS.filter(([flag, , , , feature]) => !feature || hasFeature(feature) || own(spec, flag)).map(([flag, fallback, label, help]) =>
    h(
      "label",
      { path: [...loc, flag], title: help },
      h("input", {
        type: "checkbox",
        name: flag,
        key: `${key}.${flag}`,
        checked: (own(spec, flag) ? spec[flag] : fallback) === true,
        onchange: (event) => set(flag, event.target.checked === fallback ? undefined : event.target.checked),
      }),
      label
    )
  );

  const fitting = entry ? entry.options : ["default", "description"];
  const misfits = Object.keys(spec).filter((k) => OPTIONS[k] && !fitting.includes(k));
  const known = ["type", ...FLAGS.map((f) => f[0]), ...Object.keys(OPTIONS)];
  const unknown = Object.keys(spec).filter((k) => !known.includes(k));
  const setCount = fitting.filter((k) => own(spec, k)).length + misfits.length;
  const open = state.openOptions.has(key);
  const panelId = `options-${modelName}-${fieldName}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const toggle = h(
    "button",
    {
      type: "button",
      class: "secondary small options-toggle",
      "aria-expanded": open ? "true" : "false",
      "aria-controls": panelId,
      "aria-label": `Options of ${fieldName}${setCount ? ` (${setCount} set)` : ""}`,
      key: `${key}.options`,
      onclick: () => {
        if (state.openOptions.has(key)) state.openOptions.delete(key);
        else state.openOptions.add(key);
        renderEditor();
      },
    },
    open ? "Options ▴" : `Options${setCount ? ` (${setCount})` : ""} ▾`
  );
  const panel = open
    ? h(
        "div",
        { class: "field-options", id: panelId, role: "group", "aria-label": `Options of ${fieldName}` },
        fitting.map((option) => {
          const id = `${panelId}-${option}`;
          return [
            h("label", { for: id, title: OPTIONS[option].hint }, OPTIONS[option].label),
            h("div", { class: "control", path: [...loc, option] }, optionInput(option, spec, set, id), h("span", { class: "option-hint" }, OPTIONS[option].hint)),
          ];
        }),
        misfits.map((option) => [
          h("span", {}, OPTIONS[option].label),
          h(
            "div",
            { class: "control", path: [...loc, option] },
            h("span", { class: "warning-msg" }, `${option}: ${JSON.stringify(spec[option])} does not fit a ${canonicalType(spec.type)} field. `),
            h("button", { type: "button", class: "small secondary", onclick: () => set(option, undefined, true) }, `Remove ${option}`)
          ),
        ]),
        unknown.map((k) => [h("span", {}, k), h("div", { class: "extra", path: [...loc, k] }, JSON.stringify(spec[k]))])
      )
    : null;

  return h(
    "div",
    { class: "field", data: { field: fieldName } },
    h(
      "div",
      { class: "field-row" },
      h(
        "span",
        { path: loc, class: "field-name" },
        nameInput(
          { name: "field-name", id: `field-name-${panelId}`, "aria-label": `Field name (${fieldName})`, key: `${key}.name` },
          {
            current: fieldName,
            check: (typed) => fieldNameProblem(modelName, typed, fieldName),
            trial: (typed) => {
              const draft = clone(state.draft);
              draft.models[modelName].fields = renameKey(draft.models[modelName].fields, fieldName, typed);
              return [draft, ["models", modelName, "fields", typed]];
            },
            apply: (typed) => renameField(modelName, fieldName, typed),
          }
        )
      ),
      h("span", { path: [...loc, "type"] }, typeSelect),
      h("span", { class: "flags" }, flags),
      h(
        "span",
        { class: "row-end" },
        toggle,
        h("button", { class: "danger small", "aria-label": `Delete field ${fieldName}`, title: `Delete ${fieldName}`, onclick: () => deleteField(modelName, fieldName) }, "✕")
      )
    ),
    panel
  );
}

/** A new type drops the options that do not fit it (a max_length on an int, say). */
function changeType(modelName, fieldName, type) {
  // A type with a required option (enum's values) opens the panel where it is set.
  if (canonicalType(type) === "enum") state.openOptions.add(`${modelName}.${fieldName}`);
  edit(
    () => {
      const entry = typeEntry(type);
      const spec = fieldSpec(fieldsOf(modelName)[fieldName]);
      setFieldOption(modelName, fieldName, "type", type);
      for (const option of Object.keys(spec)) {
        if (OPTIONS[option] && entry && !entry.options.includes(option)) setFieldOption(modelName, fieldName, option, undefined);
        if (option === "default" && canonicalType(spec.type) !== canonicalType(type)) setFieldOption(modelName, fieldName, "default", undefined);
      }
    },
    { key: `field:${modelName}.${fieldName}:type`, structural: true }
  );
}

function relationRow(modelName, fk, target) {
  const loc = ["models", modelName, "relations", fk];
  const spec = typeof target === "string" ? { model: target } : isMapping(target) ? target : { model: target };
  const modelChoices = modelNames().map((n) => [n, n]);
  if (!own(models(), userModelName())) modelChoices.push([userModelName(), `${userModelName()} (built-in)`]);
  const key = `${modelName}.rel.${fk}`;
  return h(
    "div",
    { class: "relation", path: loc, data: { relation: fk } },
    h(
      "span",
      { class: "name-box" },
      nameInput(
        { name: "fk", size: 12, "aria-label": `FK field (${fk})`, title: "The FK field on this model (added when not declared)", key: `${key}.fk` },
        {
          current: fk,
          check: (typed) => (!IDENTIFIER.test(typed) ? "Use letters, digits and _ only (e.g. author_id)." : typed !== fk && own(relationsOf(modelName), typed) ? `${modelName} has a relation through ${typed} already.` : null),
          trial: (typed) => {
            const draft = clone(state.draft);
            draft.models[modelName].relations = renameKey(draft.models[modelName].relations, fk, typed);
            return [draft, loc.slice(0, 3).concat([typed])];
          },
          apply: (typed) => renameRelation(modelName, fk, typed),
        }
      )
    ),
    " → ",
    h(
      "span",
      { path: [...loc, "model"] },
      choice(modelChoices, spec.model, (v) => setRelationOption(modelName, fk, "model", v), { name: "model", "aria-label": `Parent model of ${fk}`, key: `${key}.model` })
    ),
    h(
      "label",
      { path: [...loc, "on_delete"] },
      "on delete ",
      choice(
        [["", "restrict (default)"], ...ON_DELETE.map((o) => [o, o])],
        own(spec, "on_delete") ? spec.on_delete : "",
        (v) => setRelationOption(modelName, fk, "on_delete", v || undefined),
        { name: "on_delete", key: `${key}.on_delete` }
      )
    ),
    h(
      "label",
      { path: [...loc, "back_populates"], title: "Name of the list of children on the parent" },
      "back_populates ",
      h("input", {
        name: "back_populates",
        key: `${key}.back_populates`,
        value: shownValue(spec.back_populates),
        placeholder: "automatic",
        size: 12,
        oninput: (event) => setRelationOption(modelName, fk, "back_populates", event.target.value || undefined),
      })
    ),
    h("button", { class: "danger small", "aria-label": `Delete relation ${fk}`, title: "Delete relation", onclick: () => deleteRelation(modelName, fk) }, "✕")
  );
}

function renderApis() {
  const panel = $("#panel-apis");
  const apis = isMapping(state.draft.apis) ? state.draft.apis : {};
  const names = [...modelNames()];
  if (!own(models(), userModelName()) && !names.includes(userModelName())) names.unshift(userModelName());
  for (const name of Object.keys(apis)) if (!names.includes(name)) names.push(name);
  const rows = names.flatMap((name) => {
    const entry = isMapping(apis[name]) ? apis[name] : {};
    const cells = ACTIONS.map((action) => {
      // YAML 1.1 reads a bare `off` as false, which the plugin takes as off: show it so.
      const current = own(entry, action) ? (entry[action] === false ? "off" : entry[action]) : "";
      const fallback = defaultLevelFor(action);
      const select = choice(
        [["", fallback === "read" ? "— (as read)" : "— (admin)"], ...LEVELS.map((l) => [l, l])],
        current,
        (v) => setLevel(name, action, v),
        { name: action, "aria-label": `${name} ${action}`, key: `apis.${name}.${action}` }
      );
      select.className = `level level-${current || "default"}`;
      return h("td", { path: ["apis", name, action], "data-label": action }, select);
    });
    const known = own(models(), name) || name === userModelName();
    const row = h(
      "tr",
      { data: { model: name } },
      h("th", { path: ["apis", name], scope: "row" }, name, known ? null : h("span", { class: "muted" }, " (no such model)")),
      cells,
      h(
        "td",
        { class: "presets" },
        h("button", { class: "small", "aria-label": `Set every ${name} action to public`, title: "Every action public", onclick: () => setAllLevels(name, "public") }, "public"),
        h("button", { class: "small", "aria-label": `Set every ${name} action to off`, title: "Every action off", onclick: () => setAllLevels(name, "off") }, "off"),
        own(apis, name)
          ? h("button", { class: "small", "aria-label": `Reset ${name} to the defaults (admin)`, title: "Back to the defaults (admin)", onclick: () => edit((d) => delete d.apis[name], { structural: true }) }, "reset")
          : null
      )
    );
    const meaning = h(
      "tr",
      { class: "meaning-row" },
      h(
        "td",
        { colspan: ACTIONS.length + 2 },
        h(
          "details",
          { class: "meanings" },
          h("summary", {}, `What each level means for ${name}`),
          h("dl", {}, levelMeanings(name).map(([level, text]) => [h("dt", { class: `level-${level}` }, level), h("dd", {}, text)]))
        )
      )
    );
    return [row, meaning];
  });
  panel.replaceChildren(
    h("div", { path: ["apis"] }),
    h(
      "p",
      { class: "muted" },
      "Who may call each endpoint: off (not generated), public, auth (any valid token), owner (admin or the record's owner), admin. ",
      "Unset actions are admin; list and detail follow read."
    ),
    h("table", { class: "levels" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "model"), ACTIONS.map((a) => h("th", { scope: "col" }, a)), h("th", { scope: "col" }, "set all"))), h("tbody", {}, rows))
  );
}

function renderAuth() {
  const panel = $("#panel-auth");
  const auth = isMapping(state.draft.auth) ? state.draft.auth : {};
  const userModel = userModelName();
  const userFields = Object.keys(fieldsOf(userModel));
  const fieldChoices = (fallback) => [["", `${fallback} (default)`], ...userFields.filter((f) => f !== fallback).map((f) => [f, f])];
  const modelChoices = [["", "User (default)"], ...modelNames().filter((n) => n !== "User").map((n) => [n, n])];
  const known = ["user_model", "username_field", "password_field", "token_expire_minutes", "registration"];
  panel.replaceChildren(
    h(
      "div",
      { class: "form-grid", path: ["auth"] },
      h("label", { for: "auth-user-model" }, "User model"),
      h("span", { path: ["auth", "user_model"] }, choice(modelChoices, own(auth, "user_model") ? auth.user_model : "", (v) => setAuthOption("user_model", v), { id: "auth-user-model", name: "user_model" })),
      h("label", { for: "auth-username" }, "Username field"),
      h("span", { path: ["auth", "username_field"] }, choice(fieldChoices("email"), own(auth, "username_field") ? auth.username_field : "", (v) => setAuthOption("username_field", v), { id: "auth-username", name: "username_field" })),
      h("label", { for: "auth-password" }, "Password field"),
      h("span", { path: ["auth", "password_field"] }, choice(fieldChoices("password"), own(auth, "password_field") ? auth.password_field : "", (v) => setAuthOption("password_field", v), { id: "auth-password", name: "password_field" })),
      h("label", { for: "auth-expire" }, "Token lifetime (minutes)"),
      h(
        "span",
        { path: ["auth", "token_expire_minutes"] },
        h("input", {
          id: "auth-expire",
          name: "token_expire_minutes",
          type: "number",
          min: 1,
          placeholder: "60",
          value: shownValue(auth.token_expire_minutes),
          oninput: (event) => setAuthOption("token_expire_minutes", event.target.value === "" ? undefined : Number(event.target.value)),
        })
      ),
      h("label", { for: "auth-registration" }, "Registration"),
      h(
        "span",
        { path: ["auth", "registration"] },
        choice(
          [["", "open (default)"], ["open", "open"], ["off", "off: only an admin creates users"]],
          own(auth, "registration") ? auth.registration : "",
          (v) => setAuthOption("registration", v),
          { id: "auth-registration", name: "registration" }
        )
      ),
      Object.keys(auth)
        .filter((k) => !known.includes(k))
        .map((k) => [h("span", {}, k), h("span", { path: ["auth", k] }, JSON.stringify(auth[k]))])
    ),
    h(
      "p",
      { class: "muted" },
      "The user model gets a role (admin | user); its password field is hashed and never returned. ",
      "Without a model named User (or another user model), a built-in one is added."
    ),
    h("h3", {}, "Project"),
    h(
      "div",
      { class: "form-grid" },
      h("label", { for: "project-name" }, "Project name in the generated README (default: this project's name)"),
      h(
        "span",
        { path: ["project_name"] },
        h("input", { id: "project-name", name: "project_name", value: shownValue(state.draft.project_name), placeholder: state.project.name, key: "project_name", oninput: (event) => setProjectName(event.target.value) })
      )
    )
  );
}

// ---------------------------------------------------------------- validation

function scheduleValidate() {
  state.checking = true;
  updateToolbar();
  clearTimeout(state.validateTimer);
  state.validateTimer = setTimeout(validateNow, VALIDATE_DELAY_MS);
}

async function validateNow() {
  clearTimeout(state.validateTimer);
  if (!state.draft) return;
  const seq = ++state.validateSeq;
  state.checking = true;
  updateToolbar();
  try {
    const result = await api("POST", "/api/validate", { json: state.draft });
    if (seq !== state.validateSeq) return;
    state.problems = result.problems;
    if (result.preview) state.preview = result.preview;
    state.previewIsCurrent = Boolean(result.preview);
  } catch (error) {
    if (seq !== state.validateSeq) return;
    state.problems = [{ loc: [], msg: `Could not check the schema: ${describe(error)}` }];
    state.previewIsCurrent = false;
  }
  state.checking = false;
  annotate();
  renderDiagram();
  renderEndpoints();
  updateToolbar();
  if (state.tab === "code") scheduleCodePreview();
}

function tabOf(loc) {
  if (loc[0] === "models") return "models";
  if (loc[0] === "apis") return "apis";
  if (loc[0] === "auth" || loc[0] === "project_name") return "auth";
  return "models";
}

/** Show each problem beside the element whose path is the longest prefix of its own. */
function annotate() {
  for (const old of document.querySelectorAll("#editor .problem-msg:not(.name-check)")) old.remove();
  for (const old of document.querySelectorAll("#editor .has-problem")) old.classList.remove("has-problem");
  for (const old of document.querySelectorAll("#editor [aria-invalid=true]")) {
    if (!old.parentElement.querySelector(":scope > .name-check")) {
      old.removeAttribute("aria-invalid");
      old.removeAttribute("aria-describedby");
    }
  }
  const byPath = new Map();
  for (const el of document.querySelectorAll("#editor [data-path]")) {
    if (!byPath.has(el.dataset.path)) byPath.set(el.dataset.path, el);
  }
  const counts = { models: 0, apis: 0, auth: 0 };
  state.problems.forEach((problem, index) => {
    counts[tabOf(problem.loc)] += 1;
    let target = null;
    for (let n = problem.loc.length; n >= 0 && !target; n -= 1) target = byPath.get(pathOf(problem.loc.slice(0, n))) || null;
    if (!target) return;
    const exact = pathOf(problem.loc) === target.dataset.path;
    const text = exact ? problem.msg : `${pathOf(problem.loc)}: ${problem.msg}`;
    const note = h("div", { class: "problem-msg", id: `problem-${index}`, data: { problemPath: pathOf(problem.loc) } }, text);
    if (["TR", "TABLE", "TBODY"].includes(target.tagName)) {
      target.after(note);
      return;
    }
    target.classList.add("has-problem");
    target.append(note);
    const controls = target.matches("input, select") ? [target] : target.querySelectorAll("input, select");
    if (controls.length === 1) {
      controls[0].setAttribute("aria-invalid", "true");
      controls[0].setAttribute("aria-describedby", note.id);
    }
  });
  for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
    const count = counts[tab.dataset.tab] || 0;
    const badge = tab.querySelector(".count");
    if (badge) badge.textContent = count ? String(count) : "";
    if (badge) badge.setAttribute("aria-label", count ? `${count} problem${count === 1 ? "" : "s"}` : "");
  }
  renderProblemList();
}

function renderProblemList() {
  const list = $("#problem-list");
  list.replaceChildren(
    ...state.problems.map((problem) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            class: "link",
            onclick: () => {
              showTab(tabOf(problem.loc));
              const el = document.querySelector(`.problem-msg[data-problem-path="${CSS.escape(pathOf(problem.loc))}"]`);
              if (el) {
                el.scrollIntoView({ block: "center" });
                const control = el.parentElement.querySelector("input, select, button");
                if (control) control.focus();
              }
            },
          },
          h("code", {}, pathOf(problem.loc) || "(schema)")
        ),
        " ",
        problem.msg
      )
    )
  );
  $("#problems-box").hidden = state.problems.length === 0;
  $("#problems-title").textContent = `${state.problems.length} problem${state.problems.length === 1 ? "" : "s"} (generation is refused until none remain)`;
}

function updateToolbar() {
  if (!state.draft) return;
  const dirty = JSON.stringify(state.draft) !== state.savedJson;
  const problems = state.problems.length;
  const status = $("#status");
  if (state.checking) {
    status.textContent = "Checking…";
    status.className = "status checking";
  } else if (problems) {
    status.textContent = `${problems} problem${problems === 1 ? "" : "s"}`;
    status.className = "status bad";
  } else {
    status.textContent = dirty ? "Valid · unsaved changes" : "Valid · saved";
    status.className = "status good";
  }
  const blocked = state.checking || problems > 0 || state.generating;
  const save = $("#save");
  save.disabled = blocked || !dirty;
  save.title = !dirty ? "Nothing changed since the last saved version" : problems ? "Fix the problems first" : "Save the draft as a new version";
  const generate = $("#generate");
  generate.disabled = blocked;
  generate.title = problems ? "Fix the problems first" : state.checking ? "Checking the schema…" : "Save if needed, then render and zip the project";
  $("#undo").disabled = state.undo.length === 0;
}

// ---------------------------------------------------------------- ER diagram and endpoints

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** The diagram and the endpoint table both show the last valid schema, as schema/ normalised it. */
function diagramData() {
  if (!state.preview) return null;
  const boxes = state.preview.models.map((m) => ({
    name: m.name,
    note: m.builtin ? "built-in" : m.is_user_model ? "user model" : "",
    fields: m.fields.map((f) => ({ name: f.name, type: f.type, pk: f.primary_key, fk: Boolean(f.references) })),
  }));
  const links = state.preview.models.flatMap((m) => m.relations.map((r) => ({ from: m.name, fk: r.fk, to: r.parent, label: r.on_delete })));
  return { boxes, links };
}

/** Parents before children: each box's depth is its longest chain of FKs up to a root. */
function byDepth(boxes, links) {
  const depth = new Map(boxes.map((b) => [b.name, 0]));
  for (let round = 0; round < boxes.length; round += 1) {
    let changed = false;
    for (const link of links) {
      if (link.from === link.to || !depth.has(link.to)) continue;
      const wanted = Math.min(depth.get(link.to) + 1, boxes.length);
      if (depth.get(link.from) < wanted) {
        depth.set(link.from, wanted);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return [...boxes].sort((a, b) => depth.get(a.name) - depth.get(b.name));
}

const ER = { W: 210, ROW: 17, HEAD: 26, GAP_X: 150, GAP_Y: 64, PAD: 120 };

function renderDiagram() {
  const holder = $("#diagram");
  $("#diagram-stale").hidden = state.previewIsCurrent || !state.preview;
  if (!state.draft) return holder.replaceChildren();
  const data = diagramData();
  if (!data) return holder.replaceChildren(h("p", { class: "muted empty" }, "The diagram appears once the schema is valid."));
  if (!data.boxes.length) return holder.replaceChildren(h("p", { class: "muted empty" }, "Add a model to see the diagram."));
  const { W, ROW, HEAD, GAP_X, GAP_Y, PAD } = ER;
  const boxes = byDepth(data.boxes, data.links);
  const columns = boxes.length <= 3 ? boxes.length : Math.ceil(Math.sqrt(boxes.length));
  const heights = boxes.map((b) => HEAD + ROW * b.fields.length + 8);
  const rowHeights = [];
  boxes.forEach((_, i) => {
    const r = Math.floor(i / columns);
    rowHeights[r] = Math.max(rowHeights[r] || 0, heights[i]);
  });
  const rowTops = [];
  let y = PAD;
  rowHeights.forEach((rh, r) => {
    rowTops[r] = y;
    y += rh + GAP_Y;
  });
  const at = new Map();
  boxes.forEach((box, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    at.set(box.name, { c, r, x: PAD + c * (W + GAP_X), y: rowTops[r], h: heights[i], box });
  });
  const width = PAD * 2 + columns * W + (columns - 1) * GAP_X;
  const height = y - GAP_Y + PAD;
  // Lines run only in the gaps: the vertical channels between columns and the horizontal
  // gaps between rows, each line in a lane of its own, so none crosses a box.
  const channelX = (c) => PAD + c * (W + GAP_X) - GAP_X / 2;
  const gapY = (r) => (r < rowTops.length ? rowTops[r] : y) - GAP_Y / 2;
  const used = new Map();
  const lane = (key, spread, step) => {
    const n = used.get(key) || 0;
    used.set(key, n + 1);
    const slot = n % (2 * spread + 1);
    return (slot % 2 ? -1 : 1) * Math.ceil(slot / 2) * step;
  };
  const content = s("g", { class: "content" });
  const lines = s("g", { class: "links" });
  const labels = s("g", { class: "labels" });
  content.append(lines);
  for (const { x, y: top, h: boxHeight, box } of at.values()) {
    const g = s("g", { class: "entity", "data-model": box.name });
    g.append(s("title", {}, `${box.name}: ${box.fields.map((f) => `${f.name} ${f.type}`).join(", ")}`));
    g.append(s("rect", { x, y: top, width: W, height: boxHeight, rx: 6, class: "box" }));
    g.append(s("rect", { x, y: top, width: W, height: HEAD, rx: 6, class: "head" }));
    g.append(s("text", { x: x + 8, y: top + 17, class: "title" }, box.name + (box.note ? `  (${box.note})` : "")));
    box.fields.forEach((f, i) => {
      const fy = top + HEAD + ROW * (i + 1) - 3;
      g.append(s("text", { x: x + 8, y: fy, class: f.pk ? "pk" : f.fk ? "fk" : "field" }, `${f.pk ? "PK " : f.fk ? "FK " : "   "}${f.name}`));
      g.append(s("text", { x: x + W - 8, y: fy, class: "type", "text-anchor": "end" }, f.type));
    });
    content.append(g);
  }
  for (const link of data.links) {
    const from = at.get(link.from);
    const to = at.get(link.to);
    if (!from || !to) continue;
    const index = Math.max(0, from.box.fields.findIndex((f) => f.name === link.fk));
    const fy = from.y + HEAD + ROW * index + ROW / 2;
    const ty = to.y + HEAD / 2 + lane(`in:${link.to}:${to.x > from.x ? 'l' : 'r'}`, 2, 5);
    let d;
    let startX;
    let goesRight;
    if (from === to) {
      const cx = channelX(from.c + 1) + lane(`c${from.c + 1}`, 4, 8);
      startX = from.x + W;
      goesRight = true;
      d = `M${startX},${fy} H${cx} V${ty} H${from.x + W}`;
    } else {
      goesRight = to.c > from.c;
      const sourceChannel = goesRight ? from.c + 1 : from.c;
      const targetChannel = to.c > from.c ? to.c : to.c < from.c ? to.c + 1 : from.c;
      startX = goesRight ? from.x + W : from.x;
      const endX = targetChannel === to.c ? to.x : to.x + W;
      const sx = channelX(sourceChannel) + lane(`c${sourceChannel}`, 4, 8);
      if (sourceChannel === targetChannel) {
        d = `M${startX},${fy} H${sx} V${ty} H${endX}`;
      } else {
        const tx = channelX(targetChannel) + lane(`c${targetChannel}`, 4, 8);
        const gy = gapY(to.r) + lane(`r${to.r}`, 3, 8);
        d = `M${startX},${fy} H${sx} V${gy} H${tx} V${ty} H${endX}`;
      }
    }
    const title = `${link.from}.${link.fk} → ${link.to} (on delete ${link.label})`;
    lines.append(s("path", { d, class: `link ${link.label}`, "marker-end": "url(#one)" }, s("title", {}, title)));
    labels.append(
      s(
        "text",
        { x: goesRight ? startX + 4 : startX - 4, y: fy - 3, class: `on-delete ${link.label}`, "text-anchor": goesRight ? "start" : "end" },
        link.label
      )
    );
  }
  content.append(labels);
  const svg = s("svg", { class: "er", role: "img", "aria-label": `ER diagram: ${boxes.length} models, ${data.links.length} relations` });
  svg.append(
    s("defs", {}, s("marker", { id: "one", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" }, s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }))),
    content
  );
  holder.replaceChildren(svg);
  state.diagramSize = { width, height };
  if (!state.view && holder.clientWidth) fitDiagram(true);
  applyView();
}

function applyView() {
  const content = document.querySelector("#diagram g.content");
  if (!content || !state.view) return;
  const { x, y, k } = state.view;
  content.setAttribute("transform", `translate(${x},${y}) scale(${k})`);
}

/** Fit the whole diagram (readable: never below 90% at first sight; the Fit button shows all). */
function fitDiagram(initial = false) {
  const holder = $("#diagram");
  const size = state.diagramSize;
  if (!size) return;
  const width = holder.clientWidth || 800;
  const height = holder.clientHeight || 500;
  let k = Math.min(width / size.width, height / size.height, 1.5);
  if (initial) k = Math.max(0.9, Math.min(1, k));
  state.view = { x: 0, y: 0, k };
  applyView();
}

function zoomBy(factor, cx = null, cy = null) {
  const holder = $("#diagram");
  if (!state.view) fitDiagram(true);
  const view = state.view;
  const px = cx === null ? holder.clientWidth / 2 : cx;
  const py = cy === null ? holder.clientHeight / 2 : cy;
  const k = Math.min(3, Math.max(0.2, view.k * factor));
  view.x = px - ((px - view.x) * k) / view.k;
  view.y = py - ((py - view.y) * k) / view.k;
  view.k = k;
  applyView();
}

function panBy(dx, dy) {
  if (!state.view) fitDiagram(true);
  state.view.x += dx;
  state.view.y += dy;
  applyView();
}

function setUpDiagram() {
  const holder = $("#diagram");
  let drag = null;
  holder.addEventListener("pointerdown", (event) => {
    drag = { x: event.clientX, y: event.clientY };
    holder.setPointerCapture(event.pointerId);
    holder.classList.add("panning");
  });
  holder.addEventListener("pointermove", (event) => {
    if (!drag) return;
    panBy(event.clientX - drag.x, event.clientY - drag.y);
    drag = { x: event.clientX, y: event.clientY };
  });
  const stop = () => {
    drag = null;
    holder.classList.remove("panning");
  };
  holder.addEventListener("pointerup", stop);
  holder.addEventListener("pointercancel", stop);
  holder.addEventListener(
    "wheel",
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const box = holder.getBoundingClientRect();
      zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false }
  );
  holder.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
    if (moves[event.key]) panBy(...moves[event.key]);
    else if (event.key === "+" || event.key === "=") zoomBy(1.2);
    else if (event.key === "-") zoomBy(1 / 1.2);
    else if (event.key === "0") fitDiagram();
    else return;
    event.preventDefault();
  });
  $("#zoom-in").addEventListener("click", () => zoomBy(1.2));
  $("#zoom-out").addEventListener("click", () => zoomBy(1 / 1.2));
  $("#zoom-fit").addEventListener("click", () => fitDiagram());
  $("#zoom-reset").addEventListener("click", () => {
    state.view = { x: 0, y: 0, k: 1 };
    applyView();
  });
}

function renderEndpoints() {
  const holder = $("#endpoints");
  if (!state.preview) return holder.replaceChildren(h("p", { class: "muted" }, "The endpoint table appears once the schema is valid."));
  const rows = state.preview.endpoints.map((e) =>
    h(
      "tr",
      { class: e.level === "off" ? "off" : "" },
      h("td", {}, h("code", { class: `method ${e.method.toLowerCase()}` }, e.method)),
      h("td", {}, h("code", {}, e.path)),
      h("td", {}, e.model),
      h("td", {}, h("span", { class: `level-badge level-${e.level}` }, e.level === "off" ? "off (not generated)" : e.level))
    )
  );
  const auth = state.preview.auth;
  const authRows = [
    ["POST", "/auth/register", auth.registration === "open" ? "public" : "off"],
    ["POST", "/auth/token", "public"],
    ["GET", "/auth/me", "auth"],
    ["PATCH", "/auth/me", "auth"],
  ].map(([method, path, level]) =>
    h(
      "tr",
      { class: level === "off" ? "off" : "" },
      h("td", {}, h("code", { class: `method ${method.toLowerCase()}` }, method)),
      h("td", {}, h("code", {}, path)),
      h("td", {}, "auth"),
      h("td", {}, h("span", { class: `level-badge level-${level}` }, level === "off" ? "off (registration off)" : level))
    )
  );
  holder.replaceChildren(
    ...(state.previewIsCurrent ? [] : [h("p", { class: "stale" }, "Showing the last valid schema: fix the problems to update.")]),
    h("table", { class: "endpoints" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "method"), h("th", { scope: "col" }, "path"), h("th", { scope: "col" }, "model"), h("th", { scope: "col" }, "level"))), h("tbody", {}, rows, authRows))
  );
}

// ---------------------------------------------------------------- code preview

/** Ask for the generated files of the draft (when valid), a little after the last change. */
function scheduleCodePreview(delay = PREVIEW_DELAY_MS) {
  clearTimeout(state.code.timer);
  if (state.tab !== "code" || !state.draft) return;
  if (state.checking) return; // validateNow calls again when it is done
  if (state.problems.length) {
    $("#code-status").textContent = state.code.files.length
      ? "Showing the code of the last valid draft: fix the problems to update it."
      : "The code appears once the schema is valid.";
    return;
  }
  state.code.timer = setTimeout(loadCodePreview, delay);
}

async function loadCodePreview() {
  const seq = ++state.code.seq;
  const started = Date.now();
  $("#code-status").textContent = "Rendering the template…";
  try {
    const name = encodeURIComponent(state.project.name);
    const result = await api("POST", `/api/preview?name=${name}`, { json: state.draft });
    if (seq !== state.code.seq) return;
    if (result.hash !== state.code.hash) {
      state.code.previous = new Map(state.code.files.map((f) => [f.path, f.content]));
      if (!state.code.hash) state.code.previous = new Map();
      state.code.hash = result.hash;
      state.code.files = result.files;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const changed = changedFiles().size;
    $("#code-status").textContent = `${result.files.length} files, rendered by the template (${seconds} s)${changed ? `; ${changed} changed by your last edits` : ""}.`;
  } catch (error) {
    if (seq !== state.code.seq) return;
    $("#code-status").textContent = `Could not render the code: ${describe(error)}`;
  }
  renderCode();
}

function changedFiles() {
  const changed = new Set();
  if (!state.code.previous.size) return changed;
  for (const file of state.code.files) if (state.code.previous.get(file.path) !== file.content) changed.add(file.path);
  return changed;
}

function renderCode() {
  const files = state.code.files;
  const tree = $("#file-tree");
  if (!files.length) {
    tree.replaceChildren();
    $("#file-name").textContent = "";
    $("#file-text").textContent = "";
    return;
  }
  if (!files.some((f) => f.path === state.code.selected)) {
    const first = files.find((f) => f.path.startsWith("models/") && !f.path.endsWith("__init__.py")) || files[0];
    state.code.selected = first.path;
  }
  const changed = changedFiles();
  const root = { folders: new Map(), files: [] };
  for (const file of files) {
    const parts = file.path.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!node.folders.has(part)) node.folders.set(part, { folders: new Map(), files: [] });
      node = node.folders.get(part);
    }
    node.files.push(file);
  }
  const list = (node) =>
    h(
      "ul",
      {},
      [...node.folders.entries()].map(([name, child]) => h("li", {}, h("div", { class: "folder" }, `${name}/`), list(child))),
      node.files.map((file) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              class: "link",
              data: { file: file.path },
              "aria-current": file.path === state.code.selected ? "true" : "false",
              onclick: () => {
                state.code.selected = file.path;
                renderCode();
                $("#file-text").focus();
              },
            },
            file.path.split("/").pop()
          ),
          changed.has(file.path) ? h("span", { class: "changed" }, "changed") : null
        )
      )
    );
  tree.replaceChildren(list(root));
  const file = files.find((f) => f.path === state.code.selected);
  $("#file-name").textContent = file.path;
  $("#file-text").textContent = file.content === null ? `(${file.note || "not shown"}, ${file.size} bytes)` : file.content;
}

// ---------------------------------------------------------------- import / export

function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function fileStem() {
  return (state.project.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "schema");
}

function exportYaml() {
  download(`${fileStem()}.schema.yaml`, new Blob([PyYAML.dump(state.draft)], { type: "application/yaml" }));
}

function exportJson() {
  download(`${fileStem()}.schema.json`, new Blob([JSON.stringify(state.draft, null, 2) + "\n"], { type: "application/json" }));
}

async function importFile(file) {
  let data;
  try {
    data = PyYAML.load(await file.text());
  } catch (error) {
    message(`Could not read ${file.name}: ${error.message}`, "error");
    return;
  }
  if (!isMapping(data)) {
    message(`${file.name} is not a schema: the document must be a mapping with models.`, "error");
    return;
  }
  edit(() => (state.draft = data), { structural: true });
  message(`Imported ${file.name} (not saved yet).`, "info");
}

// ---------------------------------------------------------------- generate

async function generate() {
  const progress = $("#progress");
  const started = Date.now();
  state.generating = true;
  updateToolbar();
  progress.hidden = false;
  $("#download-box").hidden = true;
  const tick = () => ($("#progress-text").textContent = `Generating… ${Math.round((Date.now() - started) / 1000)} s`);
  tick();
  const timer = setInterval(tick, 500);
  try {
    if (JSON.stringify(state.draft) !== state.savedJson) await saveVersion();
    const build = await api("POST", `/api/projects/${state.project.id}/builds`);
    state.builds.push(build);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    $("#download-text").textContent = `Version ${build.schema_version} generated in ${seconds} s.`;
    const button = $("#download");
    button.onclick = () => downloadBuild(build);
    $("#download-box").hidden = false;
    message("");
  } catch (error) {
    message(`Generation failed: ${describe(error)}`, "error");
  } finally {
    clearInterval(timer);
    progress.hidden = true;
    state.generating = false;
    updateToolbar();
  }
}

async function downloadBuild(build) {
  try {
    const response = await api("GET", `/api/builds/${build.id}/download`, { blob: true });
    download(`${fileStem()}-v${build.schema_version}.zip`, await response.blob());
  } catch (error) {
    message(`Download failed: ${describe(error)}`, "error");
  }
}

// ---------------------------------------------------------------- start

function setUp() {
  setUpAuthForm();
  $("#new-project").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = event.target.elements.name.value.trim();
    if (!name) return;
    try {
      await createProject(name);
      event.target.reset();
    } catch (error) {
      message(`Could not create the project: ${describe(error)}`, "error");
    }
  });
  const tabs = [...document.querySelectorAll("#tabs [role=tab]")];
  for (const tab of tabs) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("#tabs").addEventListener("keydown", (event) => {
    const index = tabs.findIndex((tab) => tab.dataset.tab === state.tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    showTab(tabs[(next + tabs.length) % tabs.length].dataset.tab, { focus: true });
  });
  setUpDiagram();
  $("#compare-form").addEventListener("submit", (event) => {
    event.preventDefault();
    compareVersions($("#compare-a").value, $("#compare-b").value);
  });
  $("#import-button").addEventListener("click", () => $("#import").click());
  $("#undo").addEventListener("click", undo);
  $("#save").addEventListener("click", () => saveVersion().catch((error) => message(`Not saved: ${describe(error)}`, "error")));
  $("#generate").addEventListener("click", generate);
  $("#export-yaml").addEventListener("click", exportYaml);
  $("#export-json").addEventListener("click", exportJson);
  $("#import").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) importFile(file);
    event.target.value = "";
  });
  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if ((event.ctrlKey || event.metaKey) && event.key === "z" && !typing && state.draft) {
      event.preventDefault();
      undo();
    }
  });
  if (state.token) {
    showApp().catch((error) => logOut(describe(error)));
  } else {
    logOut("");
  }
}

document.addEventListener("DOMContentLoaded", setUp);
