import { useT } from '../i18n/use-t.js';
import { profileNamed, useProfilesStore } from '../stores/profiles-store.js';
import { useWizardStore } from '../stores/wizard-store.js';

/**
 * Shown on every step after a recipe was opened: what was not used, and the profile the recipe
 * asks for. A recipe never picks the target itself, so switching waits for the user's answer.
 */
export function RecipeNotice() {
  const { t, pick } = useT();
  const recipe = useWizardStore((s) => s.recipe);
  const current = useWizardStore((s) => s.form.profile);
  const profiles = useProfilesStore((s) => s.profiles);
  const { switchToRecipeProfile, keepProfile, dismissRecipe } = useWizardStore.getState();
  if (!recipe) return null;

  const asked = recipe.askedProfile;
  const known = asked !== null && profileNamed(profiles, asked) !== undefined;
  const currentName = current === '' ? t('common.none') : current;

  return (
    <section className="note recipe-notice" aria-label={t('recipe.label')}>
      <p>{t('recipe.opened', { path: recipe.path })}</p>
      {recipe.problems.length > 0 && (
        <>
          <p>{t('recipe.problems')}</p>
          <ul data-testid="recipe-problems">
            {recipe.problems.map((problem, i) => (
              <li key={`${i}-${problem.en}`} className="error">
                {pick(problem)}
              </li>
            ))}
          </ul>
        </>
      )}
      {asked !== null && (
        <div role="group" aria-labelledby="recipe-profile-question">
          <p id="recipe-profile-question">
            {t(known ? 'recipe.askProfile' : 'recipe.unknownProfile', { asked, current: currentName })}
          </p>
          <div className="input-row">
            {known && (
              <button type="button" className="button-primary" onClick={switchToRecipeProfile}>
                {t('recipe.switch', { name: asked })}
              </button>
            )}
            <button type="button" onClick={keepProfile}>
              {t('recipe.keep', { name: currentName })}
            </button>
          </div>
        </div>
      )}
      {asked === null && (
        <button type="button" className="button-small" onClick={dismissRecipe}>
          {t('common.close')}
        </button>
      )}
    </section>
  );
}
