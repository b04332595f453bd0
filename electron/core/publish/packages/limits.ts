/** Facts about packages that both the pre-flight and housekeeping rely on (pure: no imports). */

/** "An Alibaba Cloud account can upload a maximum of 500 update packages" ("单个实例下最多可有500个升级包"). */
export const MAX_PACKAGES = 500;

/** The module a package belongs to: the cloud leaves it out (or empty) for the default one. */
export const moduleOf = (p: { readonly moduleName?: string }): string => p.moduleName || 'default';
