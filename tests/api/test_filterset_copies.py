"""FilterSets copy their declared filters cheaply (records/reads/filters.py `Filters`): each instance
filters with its own values and methods, however many exist at once, and the class's filters stay as
declared."""

from records.content.registry import registry
from records.models import Agreement
from records.reads.filters import filterset_for


def test_filtersets_alive_together_each_filter_by_their_own_values(world):
    filterset_class = filterset_for(registry.get("agreement"))
    published = Agreement.objects.filter(status="published")
    trade = filterset_class({"sphere": ["trade"]}, queryset=published)
    tourism = filterset_class({"sphere": ["tourism"]}, queryset=published)
    in_omsk = filterset_class({"place": str(world.omsk.pk)}, queryset=published)
    assert all(fs.is_valid() for fs in (trade, tourism, in_omsk))
    assert set(tourism.qs) == {world.memorandum}
    assert set(trade.qs) == {world.agreement}
    assert set(in_omsk.qs) == {world.agreement}
    for fs in (trade, tourism, in_omsk):
        assert all(filter_.parent is fs for filter_ in fs.filters.values())
        assert fs.filters["sphere"] is not filterset_class.base_filters["sphere"]
    assert not any(hasattr(filter_, "parent") for filter_ in filterset_class.base_filters.values())


def test_a_bad_value_in_one_filterset_leaves_the_others_valid(world):
    filterset_class = filterset_for(registry.get("agreement"))
    published = Agreement.objects.filter(status="published")
    bad = filterset_class({"date_after": "2001-13"}, queryset=published)
    good = filterset_class({"date_after": "2001"}, queryset=published)
    assert not bad.is_valid() and "date_after" in bad.errors
    assert good.is_valid() and world.agreement in set(good.qs)
