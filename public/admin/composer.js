// Progressive enhancement for the admin composer: live character counts and a live
// preview. Without this script the same form works with its "Preview" button.
const DEBOUNCE_MS = 400;

function updateCounter(field) {
  const counter = document.getElementById(`${field.id}-count`);
  if (!counter) return;
  const max = Number(field.dataset.budget);
  const used = field.value.length;
  counter.textContent = counter.dataset.template.replace('{used}', String(used)).replace('{max}', String(max));
  counter.classList.toggle('over-budget', used > max);
}

function enhance(form) {
  const preview = form.querySelector('[data-preview]');
  let timer;
  const refreshPreview = async () => {
    const response = await fetch('/admin/preview', { method: 'POST', body: new FormData(form), credentials: 'same-origin' });
    if (response.ok) preview.innerHTML = await response.text();
  };

  form.querySelectorAll('[data-budget]').forEach(updateCounter);
  form.addEventListener('input', (event) => {
    if (event.target.matches('[data-budget]')) updateCounter(event.target);
    if (!preview) return;
    clearTimeout(timer);
    timer = setTimeout(() => refreshPreview().catch(() => {}), DEBOUNCE_MS);
  });
  if (preview && preview.childElementCount === 0) refreshPreview().catch(() => {});
}

document.querySelectorAll('form[data-composer]').forEach(enhance);
