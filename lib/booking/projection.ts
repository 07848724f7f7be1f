/**
 * Keeps only what a zod schema declares: object keys of the schema's shape (recursively), whole values for
 * everything else (strings, numbers, records, unknowns). Values are copied as they are, never converted or
 * validated, so that whatever reads the projection reports the same problems it would report on the original.
 * This is how the TikTok node's "Booking input (compact)" items follow the booking input schema automatically.
 */
import { z } from 'zod';

export type Projector = (value: unknown) => unknown;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema behind optional, nullable, default, transform/refine, pipeline and readonly wrappers. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
	let current = schema;
	for (;;) {
		if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
		else if (current instanceof z.ZodDefault || current instanceof z.ZodCatch) current = current._def.innerType;
		else if (current instanceof z.ZodEffects) current = current.innerType();
		else if (current instanceof z.ZodPipeline) current = current._def.in;
		else if (current instanceof z.ZodReadonly) current = current._def.innerType;
		else if (current instanceof z.ZodBranded) current = current.unwrap();
		else return current;
	}
}

const keep: Projector = (value) => value;

/** Compiles the projection of a schema once; the returned function projects many values quickly. */
export function projector(schema: z.ZodTypeAny): Projector {
	const inner = unwrap(schema);
	if (inner instanceof z.ZodObject) {
		const fields = Object.entries(inner.shape as z.ZodRawShape).map(([key, field]) => [key, projector(field)] as const);
		return (value) => {
			if (!isRecord(value)) return value;
			const kept: Record<string, unknown> = {};
			for (const [key, project] of fields) {
				if (key in value) kept[key] = project(value[key]);
			}
			return kept;
		};
	}
	if (inner instanceof z.ZodArray) {
		const element = projector(inner.element);
		return (value) => (Array.isArray(value) ? value.map(element) : value);
	}
	if (inner instanceof z.ZodUnion || inner instanceof z.ZodDiscriminatedUnion) {
		// An object that may come in several shapes keeps the keys of all of them.
		const options = (inner.options as z.ZodTypeAny[]).map(unwrap);
		const objects = options.filter((option): option is z.AnyZodObject => option instanceof z.ZodObject);
		if (objects.length === 0) return keep;
		const merged = projector(z.object(Object.assign({}, ...objects.map((option) => option.shape)) as z.ZodRawShape));
		return (value) => (isRecord(value) ? merged(value) : value);
	}
	if (inner instanceof z.ZodLazy) {
		let compiled: Projector | undefined;
		return (value) => (compiled ??= projector(inner.schema))(value);
	}
	return keep;
}
