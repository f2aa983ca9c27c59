import type { Role } from "@/lib/contracts";

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** True when `role` is `needed` or higher. */
export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** The lower of two roles (a token never acts above its user's current role). */
export const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

/** Roles strictly below `role`. */
export const rolesBelow = (role: Role): Role[] => (Object.keys(RANK) as Role[]).filter((r) => RANK[r] < RANK[role]);

export const parseRole = (value: string): Role => (value in RANK ? (value as Role) : "viewer");
