import type { RouteDefinition } from './from-template.ts';

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; pathParameters: Record<string, string> }
  /** No resource has this path, or it has no such method: API Gateway's 403. */
  | { kind: 'missing' }
  /** An OPTIONS request to an existing resource that declares no OPTIONS method itself. */
  | { kind: 'preflight'; resourcePath: string; methods: string[] };

interface Resource {
  path: string;
  segments: string[];
  methods: Map<string, RouteDefinition>;
}

/**
 * Matches requests to resources the way API Gateway REST APIs do: the most specific resource
 * wins (a literal segment beats `{param}`, which beats a greedy `{proxy+}`), then the method
 * (an exact method beats `ANY`).
 */
export class RouteTable {
  private readonly resources: Resource[] = [];

  constructor(routes: RouteDefinition[]) {
    for (const route of routes) {
      let resource = this.resources.find((candidate) => candidate.path === route.resourcePath);
      if (resource === undefined) {
        resource = { path: route.resourcePath, segments: splitPath(route.resourcePath), methods: new Map() };
        this.resources.push(resource);
      }
      resource.methods.set(route.method, route);
    }
  }

  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    const candidates = this.resources
      .map((resource) => ({ resource, match: matchSegments(resource.segments, segments) }))
      .filter((candidate): candidate is { resource: Resource; match: Match } => candidate.match !== undefined)
      .sort((a, b) => compareSpecificity(a.match.score, b.match.score));
    const best = candidates[0];
    if (best === undefined) return { kind: 'missing' };

    const route = best.resource.methods.get(method.toUpperCase()) ?? best.resource.methods.get('ANY');
    if (route !== undefined) return { kind: 'route', route, pathParameters: best.match.parameters };
    if (method.toUpperCase() === 'OPTIONS') {
      return { kind: 'preflight', resourcePath: best.resource.path, methods: [...best.resource.methods.keys()] };
    }
    return { kind: 'missing' };
  }
}

interface Match {
  parameters: Record<string, string>;
  /** Per segment: 0 literal, 1 parameter, 2 greedy. Lower is more specific. */
  score: number[];
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Match | undefined {
  const parameters: Record<string, string> = {};
  const score: number[] = [];
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index]!;
    const greedy = /^\{(.+)\+\}$/.exec(expected);
    if (greedy !== null) {
      const rest = actual.slice(index);
      if (rest.length === 0) return undefined;
      parameters[greedy[1]!] = rest.map(decodeSegment).join('/');
      score.push(2);
      return { parameters, score };
    }
    const segment = actual[index];
    if (segment === undefined) return undefined;
    const parameter = /^\{(.+)\}$/.exec(expected);
    if (parameter !== null) {
      parameters[parameter[1]!] = decodeSegment(segment);
      score.push(1);
    } else if (expected === segment) {
      score.push(0);
    } else {
      return undefined;
    }
  }
  return pattern.length === actual.length ? { parameters, score } : undefined;
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 3) - (b[index] ?? 3);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
