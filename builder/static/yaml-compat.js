"use strict";
/*
 * YAML as Copier reads a --data-file: PyYAML's safe_load (YAML 1.1), so that an import
 * here reads a file exactly as `copier copy --data-file` does, and an export reads back
 * the same there. js-yaml (vendored) parses; this schema gives it PyYAML's implicit
 * types: yes/no/on/off are booleans, `1e3` is a string, `0o17`-style octal is `017`,
 * dates stay strings (and are quoted on export, so PyYAML keeps them strings too).
 */
window.PyYAML = (() => {
  const Y = window.jsyaml;

  const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
  const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
  const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
  const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
  const NULL = /^(?:~|null|Null|NULL|)$/;
  const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

  function sexagesimal(text) {
    return text.split(":").reduce((total, part) => total * 60 + Number(part), 0);
  }

  function constructInt(data) {
    let value = data.replace(/_/g, "");
    let sign = 1;
    if (value[0] === "-") sign = -1;
    if (value[0] === "-" || value[0] === "+") value = value.slice(1);
    if (value === "0") return 0;
    if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
    if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
    if (value[0] === "0") return sign * parseInt(value, 8);
    if (value.includes(":")) return sign * sexagesimal(value);
    return sign * Number(value);
  }

  function constructFloat(data) {
    let value = data.replace(/_/g, "").toLowerCase();
    let sign = 1;
    if (value[0] === "-") sign = -1;
    if (value[0] === "-" || value[0] === "+") value = value.slice(1);
    if (value === ".inf") return sign * Infinity;
    if (value === ".nan") return NaN;
    if (value.includes(":")) {
      const [whole, fraction] = value.split(".");
      return sign * (sexagesimal(whole) + Number("0." + (fraction || "0")));
    }
    return sign * Number(value);
  }

  function representFloat(value) {
    if (Number.isNaN(value)) return ".nan";
    if (value === Infinity) return ".inf";
    if (value === -Infinity) return "-.inf";
    const text = String(value);
    // PyYAML needs a dot in a float: 1e+30 would read back as a string.
    return /[eE]/.test(text) && !text.includes(".") ? text.replace(/[eE]/, ".0e") : text;
  }

  function representInt(value) {
    return Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
  }

  const types = [
    new Y.Type("tag:yaml.org,2002:null", {
      kind: "scalar",
      resolve: (data) => NULL.test(data === null ? "" : data),
      construct: () => null,
      predicate: (value) => value === null,
      represent: { lowercase: () => "null" },
      defaultStyle: "lowercase",
    }),
    new Y.Type("tag:yaml.org,2002:bool", {
      kind: "scalar",
      resolve: (data) => data !== null && BOOL.test(data),
      construct: (data) => TRUE.test(data),
      predicate: (value) => typeof value === "boolean",
      represent: { lowercase: (value) => (value ? "true" : "false") },
      defaultStyle: "lowercase",
    }),
    new Y.Type("tag:yaml.org,2002:int", {
      kind: "scalar",
      resolve: (data) => data !== null && INT.test(data),
      construct: constructInt,
      predicate: (value) => typeof value === "number" && Number.isInteger(value) && !Object.is(value, -0),
      represent: { decimal: representInt },
      defaultStyle: "decimal",
    }),
    new Y.Type("tag:yaml.org,2002:float", {
      kind: "scalar",
      resolve: (data) => data !== null && FLOAT.test(data),
      construct: constructFloat,
      predicate: (value) => typeof value === "number",
      represent: { decimal: representFloat },
      defaultStyle: "decimal",
    }),
    // Dates and datetimes are kept as the text written: the schema takes them as strings.
    new Y.Type("tag:yaml.org,2002:timestamp", {
      kind: "scalar",
      resolve: (data) => data !== null && TIMESTAMP.test(data),
      construct: (data) => data,
      predicate: () => false,
    }),
    Y.types.merge,
  ];

  const schema = Y.FAILSAFE_SCHEMA.extend({ implicit: types });

  return {
    schema,
    /** Parse YAML or JSON text (JSON is read as YAML, as Copier does). */
    load(text) {
      return Y.load(text, { schema, json: false });
    },
    /** YAML text that PyYAML reads back as exactly `data`. */
    dump(data) {
      return Y.dump(data, { schema, lineWidth: -1, noRefs: true, sortKeys: false, noCompatMode: false });
    },
  };
})();
