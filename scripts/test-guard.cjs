// Preloaded (--require) into every node:test file process by scripts/levels.mjs. node --test's own
// --test-timeout bounds a whole file (it is not passed to the file's process), so this gives each
// test and each hook its own default timeout (NP_TEST_TIMEOUT_MS) unless the test sets one; a hung
// test then fails under its own name. It also counts node:assert calls per test: a test that
// ends having asserted nothing (an early `return`, a forgotten await) fails instead of passing,
// and it writes each test's start and end to a progress file (below).
'use strict';
const { appendFileSync } = require('node:fs');
const Module = require('node:module');
const nodeTest = require('node:test');

/**
 * "start|end <TAB> file <TAB> name" as each test starts and ends, written at once (synchronously)
 * to NP_TEST_PROGRESS_FILE: a level stopped at its deadline can then name the tests that never
 * ended (node:test reports a test of a file's process only once it has ended).
 */
const PROGRESS_FILE = process.env.NP_TEST_PROGRESS_FILE;
function progress(event, name) {
  if (PROGRESS_FILE) {
    appendFileSync(PROGRESS_FILE, `${event}\t${process.argv[1] ?? ''}\t${String(name).replace(/[\t\n]/g, ' ')}\n`);
  }
}

const TIMEOUT_MS = Number(process.env.NP_TEST_TIMEOUT_MS || 0);
let assertions = 0;

/**
 * Counts every call of node:assert (and node:assert/strict) as one assertion. The test files get a
 * counting view of the module (require is intercepted); the module itself is left untouched,
 * because node:assert compares its own functions by identity (match vs doesNotMatch).
 */
const ASSERT_MODULES = new Set(['assert', 'node:assert', 'assert/strict', 'node:assert/strict']);
const views = new WeakMap();
function countingView(target) {
  if (!views.has(target)) {
    const wrappers = new Map();
    views.set(target, new Proxy(target, {
      apply(fn, thisArg, args) {
        assertions++;
        return Reflect.apply(fn, thisArg, args);
      },
      get(object, property) {
        const value = Reflect.get(object, property);
        if (property === 'strict' && typeof value === 'function') {
          return countingView(value);
        }
        if (typeof value !== 'function' || typeof property !== 'string' || !/^[a-z]/.test(property)) {
          return value; // AssertionError, CallTracker and plain values as they are
        }
        if (!wrappers.has(property)) {
          wrappers.set(property, function (...args) {
            assertions++;
            return value.apply(object, args);
          });
        }
        return wrappers.get(property);
      },
    }));
  }
  return views.get(target);
}
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  const loaded = originalLoad.call(this, request, ...rest);
  return ASSERT_MODULES.has(request) ? countingView(loaded) : loaded;
};

/** (name?, options?, fn?) as node:test takes them, with the default timeout added. */
function withDefaults(args, { checkAssertions }) {
  const list = [...args];
  const fnAt = list.findIndex((arg) => typeof arg === 'function');
  let optionsAt = list.findIndex((arg, index) => arg !== null && typeof arg === 'object' && (fnAt < 0 || index < fnAt));
  if (optionsAt < 0) {
    optionsAt = typeof list[0] === 'string' ? 1 : 0;
    list.splice(optionsAt, 0, {});
  }
  const options = { ...list[optionsAt] };
  if (TIMEOUT_MS > 0 && options.timeout === undefined) {
    options.timeout = TIMEOUT_MS;
  }
  list[optionsAt] = options;
  const at = list.findIndex((arg) => typeof arg === 'function');
  if (checkAssertions && at >= 0 && !options.skip && !options.todo) {
    const body = list[at];
    // The test's own context argument (t) is passed through; a test that takes a `done`
    // callback is left as it is (none here uses one).
    if (body.length <= 1) {
      const name = typeof list[0] === 'string' ? list[0] : body.name || '<anonymous>';
      list[at] = async function (t) {
        progress('start', name);
        const before = assertions;
        const subtests = [];
        const context = t && typeof t.test === 'function' ? new Proxy(t, {
          get(target, property) {
            const value = Reflect.get(target, property);
            return property === 'test' ? (...inner) => { const run = value.apply(target, inner); subtests.push(run); return run; } : typeof value === 'function' ? value.bind(target) : value;
          },
        }) : t;
        try {
          await body.call(this, context);
          await Promise.all(subtests);
        } finally {
          progress('end', name);
        }
        if (assertions === before && subtests.length === 0) {
          throw new Error('this test made no assertion (node:assert was never called): an early return or a missing await would pass it silently');
        }
      };
    }
  }
  return list;
}

function wrapTest(original) {
  const wrapped = function (...args) {
    return original.apply(this, withDefaults(args, { checkAssertions: true }));
  };
  Object.assign(wrapped, original);
  return wrapped;
}

/** Hooks take (fn, options), the other way round from tests. */
function wrapHook(original) {
  return function (fn, options = {}) {
    return original.call(this, fn, TIMEOUT_MS > 0 && options.timeout === undefined ? { ...options, timeout: TIMEOUT_MS } : options);
  };
}

const test = wrapTest(nodeTest.test);
nodeTest.test = test;
nodeTest.it = test;
for (const hook of ['before', 'after', 'beforeEach', 'afterEach']) {
  nodeTest[hook] = wrapHook(nodeTest[hook]);
}
