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

const TYPES = ["int", "float", "string", "text", "bool", "datetime", "date"];
const LEVELS = ["off", "public", "auth", "owner", "admin"];
const ACTIONS = ["create", "read", "list", "detail", "update", "delete"];
const ON_DELETE = ["restrict", "cascade", "set_null"];
const FLAGS = [
  // key, default, label, help
  ["required", true, "req", "Must be sent on create (untick: needs a default or nullable)"],
  ["nullable", false, "null", "NULL allowed; null when absent on create"],
  ["unique", false, "uniq", "Unique column"],
  ["index", false, "idx", "Indexed column"],
  ["secret", false, "secret", "Write-only: accepted on create and update, never returned"],
];
const NUMBERS = [
  ["min_length", "Shortest text"],
  ["max_length", "Longest text"],
  ["ge", "Smallest number (≥)"],
  ["le", "Largest number (≤)"],
];
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
}

async function createProject(name) {
  const project = await api("POST", "/api/projects", { json: { name } });
  await loadProjects();
  await openProject(project.id);
  render();
}

async function saveVersion() {
  // What is sent is what counts as saved, even if the user edits while it travels.
  const sent = JSON.stringify(state.draft);
  const saved = await api("PUT", `/api/projects/${state.project.id}/schema`, { text: sent });
  state.savedJson = sent;
  if (JSON.stringify(state.draft) === sent) localStorage.removeItem(draftKey());
  state.project.latest_version = saved.version;
  await loadVersions();
  renderProjects();
  message(`Saved as version ${saved.version}.`, "ok");
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

function apisOf(modelName) {
  const apis = state.draft.apis;
  return isMapping(apis) && isMapping(apis[modelName]) ? apis[modelName] : {};
}

function userModelName() {
  const auth = isMapping(state.draft.auth) ? state.draft.auth : {};
  return typeof auth.user_model === "string" ? auth.user_model : "User";
}

// -- model actions

function addModel(name) {
  name = name.trim();
  if (!name) return;
  if (own(models(), name)) {
    message(`There is a model named ${name} already.`, "error");
    return;
  }
  edit(
    (draft) => {
      ensureMapping(draft, "models");
      put(draft.models, name, { fields: {} });
    },
    { structural: true }
  );
}

function renameModel(oldName, newName) {
  newName = newName.trim();
  if (!newName || newName === oldName) return renderEditor();
  if (own(models(), newName)) {
    message(`There is a model named ${newName} already.`, "error");
    return renderEditor();
  }
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
}

function deleteModel(name) {
  edit(
    (draft) => {
      delete draft.models[name];
      if (isMapping(draft.apis)) delete draft.apis[name];
      if (isMapping(draft.auth) && draft.auth.user_model === name) delete draft.auth.user_model;
      for (const model of Object.keys(draft.models)) {
        const relations = relationsOf(model);
        for (const [fk, target] of Object.entries(relations)) {
          if (target === name || (isMapping(target) && target.model === name)) delete relations[fk];
        }
      }
    },
    { structural: true }
  );
  message(`Deleted ${name} (Undo brings it back).`, "info");
}

function setModelOption(modelName, key, value) {
  edit(
    () => {
      const model = ensureMapping(models(), modelName);
      if (value === undefined) delete model[key];
      else put(model, key, value);
    },
    { key: `model-option:${modelName}:${key}` }
  );
}

// -- field actions

function addField(modelName, name) {
  name = name.trim();
  if (!name) return;
  if (own(fieldsOf(modelName), name)) {
    message(`${modelName} has a field named ${name} already.`, "error");
    return;
  }
  edit(() => put(ensureMapping(ensureMapping(models(), modelName), "fields"), name, "string"), {
    structural: true,
  });
}

function renameField(modelName, oldName, newName) {
  newName = newName.trim();
  if (!newName || newName === oldName) return renderEditor();
  if (own(fieldsOf(modelName), newName)) {
    message(`${modelName} has a field named ${newName} already.`, "error");
    return renderEditor();
  }
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
}

function deleteField(modelName, name) {
  edit(
    (draft) => {
      const model = draft.models[modelName];
      delete model.fields[name];
    },
    { structural: true }
  );
}

// -- relation actions

function addRelation(modelName) {
  const targets = modelNames().filter((name) => name !== modelName);
  const target = targets[0] || modelName;
  let fk = `${snake(target)}_id`;
  for (let n = 2; own(relationsOf(modelName), fk); n += 1) fk = `${snake(target)}${n}_id`;
  edit(() => put(ensureMapping(ensureMapping(models(), modelName), "relations"), fk, target), {
    structural: true,
  });
}

function setRelationOption(modelName, fk, key, value) {
  edit(
    () => {
      const relations = ensureMapping(ensureMapping(models(), modelName), "relations");
      const current = relations[fk];
      let spec = typeof current === "string" ? { model: current } : isMapping(current) ? { ...current } : { model: current };
      if (value === undefined) delete spec[key];
      else put(spec, key, value);
      const keys = Object.keys(spec);
      if (keys.length === 1 && keys[0] === "model" && typeof spec.model === "string") spec = spec.model;
      put(relations, fk, spec);
    },
    { key: `relation:${modelName}:${fk}:${key}`, structural: key === "model" }
  );
}

function renameRelation(modelName, oldFk, newFk) {
  newFk = newFk.trim();
  if (!newFk || newFk === oldFk) return renderEditor();
  if (own(relationsOf(modelName), newFk)) {
    message(`${modelName} has a relation through ${newFk} already.`, "error");
    return renderEditor();
  }
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
}

function deleteRelation(modelName, fk) {
  edit(
    (draft) => {
      const model = draft.models[modelName];
      delete model.relations[fk];
      if (!Object.keys(model.relations).length) delete model.relations;
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
  const kind = String(type).trim().toLowerCase();
  if (["int", "integer", "float"].includes(kind)) {
    const number = Number(text);
    return text.trim() !== "" && Number.isFinite(number) ? number : text;
  }
  if (["bool", "boolean"].includes(kind)) {
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

function renderEditor() {
  for (const tab of document.querySelectorAll("#tabs button")) {
    tab.classList.toggle("current", tab.dataset.tab === state.tab);
  }
  for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== `panel-${state.tab}`;
  renderModels();
  renderApis();
  renderAuth();
  annotate();
}

function renderModels() {
  const panel = $("#panel-models");
  const names = modelNames();
  const root = h("div", { class: "root-problems", path: [] });
  const modelsTop = h("div", { class: "models-top", path: ["models"] });
  const adder = h(
    "form",
    {
      class: "inline-form",
      id: "add-model-form",
      onsubmit: (event) => {
        event.preventDefault();
        addModel(event.target.elements.name.value);
      },
    },
    h("input", { name: "name", id: "new-model-name", placeholder: "New model, e.g. BlogPost", "aria-label": "New model name", autocomplete: "off" }),
    h("button", { type: "submit", id: "add-model" }, "Add model")
  );
  const cards = names.map((name) => modelCard(name));
  panel.replaceChildren(root, modelsTop, adder, ...cards);
  if (!names.length) panel.append(h("p", { class: "muted" }, "No models yet: add one above."));
}

function modelCard(name) {
  const model = models()[name];
  const spec = isMapping(model) ? model : {};
  const fields = fieldsOf(name);
  const relations = relationsOf(name);
  const loc = ["models", name];
  const fieldNames = Object.keys(fields);

  const header = h(
    "div",
    { class: "card-head", path: loc },
    h("input", {
      class: "model-name",
      value: name,
      "aria-label": "Model name",
      title: "Model name (PascalCase). Renaming also renames its table unless 'table' is set.",
      onchange: (event) => renameModel(name, event.target.value),
    }),
    name === userModelName() ? h("span", { class: "badge" }, "user model") : null,
    h("button", { class: "danger small", title: `Delete ${name}`, onclick: () => deleteModel(name) }, "Delete model")
  );

  const ownerChoices = [["", "(owner: automatic)"], ...Object.keys(relations).map((fk) => [fk, `owner: ${fk}`])];
  for (const field of fieldNames) if (!own(relations, field)) ownerChoices.push([field, `owner: ${field}`]);
  const options = h(
    "div",
    { class: "model-options" },
    h(
      "label",
      { path: [...loc, "table"] },
      "table ",
      h("input", {
        value: shownValue(spec.table),
        placeholder: "default",
        name: "table",
        size: 12,
        oninput: (event) => setModelOption(name, "table", event.target.value || undefined),
      })
    ),
    h(
      "label",
      { path: [...loc, "path"] },
      "path /",
      h("input", {
        value: shownValue(spec.path),
        placeholder: "default",
        name: "path",
        size: 12,
        oninput: (event) => setModelOption(name, "path", event.target.value || undefined),
      })
    ),
    h(
      "label",
      { path: [...loc, "timestamps"], title: "Adds created_at and updated_at, set by the server" },
      h("input", {
        type: "checkbox",
        name: "timestamps",
        checked: spec.timestamps === true,
        onchange: (event) => setModelOption(name, "timestamps", event.target.checked ? true : undefined),
      }),
      " timestamps"
    ),
    h(
      "label",
      { path: [...loc, "owner"], title: "The FK to the user model that owns each record" },
      choice(ownerChoices, spec.owner === undefined ? "" : spec.owner, (value) => setModelOption(name, "owner", value || undefined), {
        name: "owner",
      })
    )
  );

  const fieldRows = fieldNames.map((field) => fieldRow(name, field, fields[field]));
  const fieldTable = h(
    "table",
    { class: "fields", path: [...loc, "fields"] },
    h(
      "thead",
      {},
      h("tr", {}, h("th", {}, "field"), h("th", {}, "type"), FLAGS.map(([, , label, help]) => h("th", { title: help }, label)), h("th", {}, "more"), h("th", {}))
    ),
    h("tbody", {}, fieldRows)
  );
  const addFieldForm = h(
    "form",
    {
      class: "inline-form",
      onsubmit: (event) => {
        event.preventDefault();
        addField(name, event.target.elements.name.value);
      },
    },
    h("input", { name: "name", placeholder: "new field", "aria-label": "New field name", autocomplete: "off" }),
    h("button", { type: "submit", class: "small add-field" }, "Add field")
  );

  const relationRows = Object.entries(relations).map(([fk, target]) => relationRow(name, fk, target));
  const relationBlock = h(
    "div",
    { class: "relations", path: [...loc, "relations"] },
    h("h4", {}, "Relations ", h("span", { class: "muted" }, "(one-to-many: this model's FK → the parent)")),
    relationRows,
    h("button", { class: "small add-relation", onclick: () => addRelation(name) }, "Add relation")
  );

  const unknownKeys = Object.keys(spec).filter((k) => !["fields", "relations", "table", "path", "timestamps", "owner"].includes(k));
  const extras = unknownKeys.map((k) => h("div", { class: "extra", path: [...loc, k] }, `${k}: ${JSON.stringify(spec[k])}`));

  return h(
    "section",
    { class: "card model", data: { model: name } },
    header,
    options,
    extras,
    fieldTable,
    addFieldForm,
    relationBlock
  );
}

function fieldRow(modelName, fieldName, value) {
  const loc = ["models", modelName, "fields", fieldName];
  const spec = fieldSpec(value);
  const set = (key, v, structural = false) =>
    edit(() => setFieldOption(modelName, fieldName, key, v), { key: `field:${modelName}:${fieldName}:${key}`, structural });
  const typeValue = typeof spec.type === "string" ? spec.type : spec.type;
  const typeChoices = TYPES.map((t) => [t, t]);
  const typeSelect = choice(typeChoices, typeValue, (v) => set("type", v, true), { name: "type", "aria-label": "Type" });

  const flags = FLAGS.map(([key, fallback, label, help]) => {
    const current = own(spec, key) ? spec[key] : fallback;
    return h(
      "td",
      { path: [...loc, key], class: "flag" },
      h("input", {
        type: "checkbox",
        name: key,
        title: help,
        "aria-label": label,
        checked: current === true,
        onchange: (event) => set(key, event.target.checked === fallback ? undefined : event.target.checked),
      })
    );
  });

  const kind = String(spec.type).trim().toLowerCase();
  let defaultInput;
  if (kind === "bool" || kind === "boolean") {
    defaultInput = choice(
      [["", "(none)"], ["true", "true"], ["false", "false"]],
      own(spec, "default") ? (typeof spec.default === "boolean" ? String(spec.default) : spec.default) : "",
      (v) => set("default", v === "" ? undefined : v === "true"),
      { name: "default" }
    );
  } else {
    defaultInput = h("input", {
      name: "default",
      value: shownValue(spec.default),
      placeholder: kind === "date" ? "YYYY-MM-DD" : kind === "datetime" ? "YYYY-MM-DDTHH:MM:SS" : "",
      size: 10,
      oninput: (event) => set("default", typedDefault(spec.type, event.target.value)),
    });
  }
  const hasMore = ["default", "min_length", "max_length", "ge", "le", "description"].some((k) => own(spec, k));
  const more = h(
    "details",
    { class: "more", open: hasMore ? true : null },
    h("summary", {}, hasMore ? "options" : "+"),
    h("label", { path: [...loc, "default"] }, "default ", defaultInput),
    NUMBERS.map(([key, help]) =>
      h(
        "label",
        { path: [...loc, key], title: help },
        `${key} `,
        h("input", {
          name: key,
          type: "number",
          step: "any",
          value: shownValue(spec[key]),
          size: 6,
          oninput: (event) => set(key, event.target.value === "" ? undefined : Number(event.target.value)),
        })
      )
    ),
    h(
      "label",
      { path: [...loc, "description"] },
      "description ",
      h("input", {
        name: "description",
        value: shownValue(spec.description),
        size: 24,
        oninput: (event) => set("description", event.target.value === "" ? undefined : event.target.value),
      })
    ),
    Object.keys(spec)
      .filter((k) => !["type", "default", "description", ...FLAGS.map((f) => f[0]), ...NUMBERS.map((n) => n[0])].includes(k))
      .map((k) => h("div", { class: "extra", path: [...loc, k] }, `${k}: ${JSON.stringify(spec[k])}`))
  );

  return h(
    "tr",
    { data: { field: fieldName } },
    h(
      "td",
      { path: loc, class: "field-name" },
      h("input", {
        name: "field-name",
        value: fieldName,
        "aria-label": "Field name",
        size: 14,
        onchange: (event) => renameField(modelName, fieldName, event.target.value),
      })
    ),
    h("td", { path: [...loc, "type"] }, typeSelect),
    flags,
    h("td", { class: "more-cell" }, more),
    h("td", {}, h("button", { class: "danger small", title: `Delete ${fieldName}`, onclick: () => deleteField(modelName, fieldName) }, "✕"))
  );
}

function relationRow(modelName, fk, target) {
  const loc = ["models", modelName, "relations", fk];
  const spec = typeof target === "string" ? { model: target } : isMapping(target) ? target : { model: target };
  const modelChoices = modelNames().map((n) => [n, n]);
  if (!own(models(), userModelName())) modelChoices.push([userModelName(), `${userModelName()} (built-in)`]);
  return h(
    "div",
    { class: "relation", path: loc, data: { relation: fk } },
    h("input", {
      name: "fk",
      value: fk,
      size: 12,
      "aria-label": "FK field",
      title: "The FK field on this model (added when not declared)",
      onchange: (event) => renameRelation(modelName, fk, event.target.value),
    }),
    " → ",
    h(
      "span",
      { path: [...loc, "model"] },
      choice(modelChoices, spec.model, (v) => setRelationOption(modelName, fk, "model", v), { name: "model", "aria-label": "Parent model" })
    ),
    h(
      "label",
      { path: [...loc, "on_delete"] },
      " on delete ",
      choice(
        [["", "restrict (default)"], ...ON_DELETE.map((o) => [o, o])],
        own(spec, "on_delete") ? spec.on_delete : "",
        (v) => setRelationOption(modelName, fk, "on_delete", v || undefined),
        { name: "on_delete" }
      )
    ),
    h(
      "label",
      { path: [...loc, "back_populates"], title: "Name of the list of children on the parent" },
      " back_populates ",
      h("input", {
        name: "back_populates",
        value: shownValue(spec.back_populates),
        placeholder: "automatic",
        size: 12,
        oninput: (event) => setRelationOption(modelName, fk, "back_populates", event.target.value || undefined),
      })
    ),
    h("button", { class: "danger small", title: "Delete relation", onclick: () => deleteRelation(modelName, fk) }, "✕")
  );
}

function renderApis() {
  const panel = $("#panel-apis");
  const apis = isMapping(state.draft.apis) ? state.draft.apis : {};
  const names = [...modelNames()];
  if (!own(models(), userModelName()) && !names.includes(userModelName())) names.unshift(userModelName());
  for (const name of Object.keys(apis)) if (!names.includes(name)) names.push(name);
  const rows = names.map((name) => {
    const entry = isMapping(apis[name]) ? apis[name] : {};
    const cells = ACTIONS.map((action) => {
      const current = own(entry, action) ? entry[action] : "";
      const fallback = defaultLevelFor(action);
      const select = choice(
        [["", fallback === "read" ? "— (as read)" : "— (admin)"], ...LEVELS.map((l) => [l, l])],
        current,
        (v) => setLevel(name, action, v),
        { name: action, "aria-label": `${name} ${action}` }
      );
      select.className = `level level-${current || "default"}`;
      return h("td", { path: ["apis", name, action] }, select);
    });
    const known = own(models(), name) || name === userModelName();
    return h(
      "tr",
      { data: { model: name } },
      h("th", { path: ["apis", name], scope: "row" }, name, known ? null : h("span", { class: "muted" }, " (no such model)")),
      cells,
      h(
        "td",
        { class: "presets" },
        h("button", { class: "small", title: "Every action public", onclick: () => setAllLevels(name, "public") }, "public"),
        h("button", { class: "small", title: "Every action off", onclick: () => setAllLevels(name, "off") }, "off"),
        own(apis, name)
          ? h("button", { class: "small", title: "Back to the defaults (admin)", onclick: () => edit((d) => delete d.apis[name], { structural: true }) }, "reset")
          : null
      )
    );
  });
  panel.replaceChildren(
    h("div", { path: ["apis"] }),
    h(
      "p",
      { class: "muted" },
      "Who may call each endpoint: off (not generated), public, auth (any valid token), owner (admin or the record's owner), admin. ",
      "Unset actions are admin; list and detail follow read."
    ),
    h("table", { class: "levels" }, h("thead", {}, h("tr", {}, h("th", {}, "model"), ACTIONS.map((a) => h("th", {}, a)), h("th", {}, "set all"))), h("tbody", {}, rows))
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
      h("label", { for: "project-name" }, "Project name in the generated README"),
      h(
        "span",
        { path: ["project_name"] },
        h("input", { id: "project-name", name: "project_name", value: shownValue(state.draft.project_name), placeholder: "backend", oninput: (event) => setProjectName(event.target.value) })
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
}

function tabOf(loc) {
  if (loc[0] === "models") return "models";
  if (loc[0] === "apis") return "apis";
  if (loc[0] === "auth" || loc[0] === "project_name") return "auth";
  return "models";
}

/** Show each problem beside the element whose path is the longest prefix of its own. */
function annotate() {
  for (const old of document.querySelectorAll(".problem-msg")) old.remove();
  for (const old of document.querySelectorAll(".has-problem")) old.classList.remove("has-problem");
  const byPath = new Map();
  for (const el of document.querySelectorAll("#editor [data-path]")) {
    if (!byPath.has(el.dataset.path)) byPath.set(el.dataset.path, el);
  }
  const counts = { models: 0, apis: 0, auth: 0 };
  for (const problem of state.problems) {
    counts[tabOf(problem.loc)] += 1;
    let target = null;
    for (let n = problem.loc.length; n >= 0 && !target; n -= 1) target = byPath.get(pathOf(problem.loc.slice(0, n))) || null;
    if (!target) continue;
    target.classList.add("has-problem");
    const note = h("div", { class: "problem-msg", role: "alert", data: { problemPath: pathOf(problem.loc) } }, problem.msg);
    if (target.tagName === "TR" || target.tagName === "TABLE" || target.tagName === "TBODY") {
      target.after(h("div", { class: "problem-msg" }, `${pathOf(problem.loc)}: ${problem.msg}`));
    } else {
      target.append(note);
    }
    const details = target.closest("details");
    if (details) details.open = true;
  }
  for (const tab of document.querySelectorAll("#tabs button")) {
    const count = counts[tab.dataset.tab] || 0;
    tab.querySelector(".count").textContent = count ? String(count) : "";
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
              state.tab = tabOf(problem.loc);
              renderEditor();
              const el = document.querySelector(`.problem-msg[data-problem-path="${CSS.escape(pathOf(problem.loc))}"]`);
              if (el) el.scrollIntoView({ block: "center" });
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
  $("#save").disabled = blocked || !dirty;
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

/** Boxes and links: from the normalised preview when the draft is valid, else from the draft. */
function diagramData() {
  if (state.previewIsCurrent && state.preview) {
    return {
      boxes: state.preview.models.map((m) => ({
        name: m.name,
        note: m.builtin ? "built-in" : m.is_user_model ? "user model" : "",
        fields: m.fields.map((f) => ({ name: f.name, type: f.type, pk: f.primary_key, fk: Boolean(f.references) })),
      })),
      links: state.preview.models.flatMap((m) => m.relations.map((r) => ({ from: m.name, fk: r.fk, to: r.parent, label: r.on_delete }))),
    };
  }
  const boxes = modelNames().map((name) => {
    const fields = Object.entries(fieldsOf(name)).map(([f, v]) => ({ name: f, type: String(fieldSpec(v).type), pk: f === "id", fk: own(relationsOf(name), f) }));
    if (!fields.some((f) => f.name === "id")) fields.unshift({ name: "id", type: "int", pk: true, fk: false });
    for (const fk of Object.keys(relationsOf(name))) if (!own(fieldsOf(name), fk)) fields.push({ name: fk, type: "int", pk: false, fk: true });
    return { name, note: "", fields };
  });
  const links = modelNames().flatMap((name) =>
    Object.entries(relationsOf(name)).map(([fk, target]) => ({
      from: name,
      fk,
      to: typeof target === "string" ? target : isMapping(target) ? String(target.model) : "?",
      label: isMapping(target) && target.on_delete ? String(target.on_delete) : "restrict",
    }))
  );
  return { boxes, links };
}

function renderDiagram() {
  const holder = $("#diagram");
  if (!state.draft) return holder.replaceChildren();
  const { boxes, links } = diagramData();
  if (!boxes.length) return holder.replaceChildren(h("p", { class: "muted" }, "Add a model to see the diagram."));
  const W = 190, ROW = 17, HEAD = 24, GAP_X = 70, GAP_Y = 40, PAD = 16;
  const columns = Math.max(1, Math.ceil(Math.sqrt(boxes.length)));
  const heights = boxes.map((b) => HEAD + ROW * b.fields.length + 6);
  const rowHeights = [];
  boxes.forEach((_, i) => {
    const r = Math.floor(i / columns);
    rowHeights[r] = Math.max(rowHeights[r] || 0, heights[i]);
  });
  const at = new Map();
  let y = PAD;
  rowHeights.forEach((rh, r) => {
    for (let c = 0; c < columns; c += 1) {
      const i = r * columns + c;
      if (i < boxes.length) at.set(boxes[i].name, { x: PAD + c * (W + GAP_X), y, h: heights[i], box: boxes[i] });
    }
    y += rh + GAP_Y;
  });
  const width = PAD * 2 + columns * W + (columns - 1) * GAP_X;
  const height = y - GAP_Y + PAD;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "ER diagram", class: "er" });
  svg.append(
    s("defs", {}, s("marker", { id: "one", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" }, s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" })))
  );
  const lines = s("g", { class: "links" });
  svg.append(lines);
  for (const { x, y: top, h: boxHeight, box } of at.values()) {
    const g = s("g", { class: "entity", "data-model": box.name });
    g.append(s("rect", { x, y: top, width: W, height: boxHeight, rx: 6, class: "box" }));
    g.append(s("rect", { x, y: top, width: W, height: HEAD, rx: 6, class: "head" }));
    g.append(s("text", { x: x + 8, y: top + 16, class: "title" }, box.name + (box.note ? `  (${box.note})` : "")));
    box.fields.forEach((f, i) => {
      const fy = top + HEAD + ROW * (i + 1) - 4;
      g.append(s("text", { x: x + 8, y: fy, class: f.pk ? "pk" : f.fk ? "fk" : "field" }, `${f.pk ? "PK " : f.fk ? "FK " : "   "}${f.name}`));
      g.append(s("text", { x: x + W - 8, y: fy, class: "type", "text-anchor": "end" }, f.type));
    });
    svg.append(g);
  }
  for (const link of links) {
    const from = at.get(link.from);
    const to = at.get(link.to);
    if (!from || !to) continue;
    const index = Math.max(0, from.box.fields.findIndex((f) => f.name === link.fk));
    const fy = from.y + HEAD + ROW * index + ROW / 2;
    const ty = to.y + HEAD / 2;
    let d;
    if (from === to) {
      const xr = from.x + W;
      d = `M${xr},${fy} C${xr + 50},${fy} ${xr + 50},${ty} ${xr},${ty}`;
    } else {
      const rightward = to.x >= from.x;
      const fx = rightward ? from.x + W : from.x;
      const tx = rightward ? (to.x > from.x ? to.x : to.x + W) : to.x + W;
      const bend = to.x === from.x ? (rightward ? 60 : -60) : 0;
      const c1 = fx + (rightward ? 40 : -40) + bend;
      const c2 = tx + (to.x > from.x ? -40 : 40) + bend;
      d = `M${fx},${fy} C${c1},${fy} ${c2},${ty} ${tx},${ty}`;
    }
    lines.append(s("path", { d, class: "link", "marker-end": "url(#one)" }, s("title", {}, `${link.from}.${link.fk} → ${link.to} (on delete ${link.label})`)));
  }
  holder.replaceChildren(svg);
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
    h("table", { class: "endpoints" }, h("thead", {}, h("tr", {}, h("th", {}, "method"), h("th", {}, "path"), h("th", {}, "model"), h("th", {}, "level"))), h("tbody", {}, rows, authRows))
  );
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
  for (const tab of document.querySelectorAll("#tabs button")) {
    tab.addEventListener("click", () => {
      state.tab = tab.dataset.tab;
      renderEditor();
    });
  }
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
