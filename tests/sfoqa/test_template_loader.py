from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_templates_are_compiled_once_a_process():
    """The cached loader is on (Django's default when no loaders are set), so
    a page reuses its compiled templates instead of parsing them again."""
    engine = engines["django"].engine
    assert [type(loader) for loader in engine.template_loaders] == [CachedLoader]
    loader = engine.template_loaders[0]
    first = loader.get_template("reviews/review_list.html")
    assert loader.get_template("reviews/review_list.html") is first
