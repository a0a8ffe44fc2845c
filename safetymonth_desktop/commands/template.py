"""`safetymonth template --year Y [--unit NAME] -o FILE.xlsx` writes a stamped 填报模板 (for one unit);
`template --year Y --roster -o FOLDER` writes one for every unit on the year's roster (报送单位名单). Every template
written is recorded as issued (报送进度), so the command opens the database for writing."""

from safetymonth_desktop import command_line
from safetymonth_desktop.base.errors import AppError


def add_parser(sub):
    p = sub.add_parser("template", help="生成填报模板(Excel)",
                       description="生成发给各单位的 Excel 填报模板(含下拉选项和填写说明,带年度、地区和单位标识),"
                                   "可预先填入填报单位;加 --roster 时为本年度报送单位名单中的每个单位各生成一份。")
    p.add_argument("--year", required=True, metavar="年度", help="年度")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--unit", metavar="单位名称", help="填报单位名称(预先填入模板)")
    who.add_argument("--roster", action="store_true", help="为名单中的每个单位各生成一份模板,-o 给出文件夹")
    p.add_argument("-o", "--output", required=True, metavar="文件.xlsx", help="输出文件(加 --roster 时为文件夹)")
    p.set_defaults(run=run)


def run(args) -> int:
    from pathlib import Path

    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.exchange import xlsx_safety, xlsx_template
    from safetymonth_desktop.services import campaigns, roster, units
    year = campaigns.check_year(args.year)
    # lazy: start-up (the parser imports every command module; its work loads when it runs)
    from safetymonth_desktop.db.output_paths import check_output

    if args.roster:
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise AppError(f"“{folder}”是一个文件;加 --roster 时 -o 应给出存放模板的文件夹。")
    else:
        xlsx_safety.check_output_path(args.output)
        check_output(args.output, database=command_line.database_path(args))
    command_line.open_db(args, write=True)
    campaign = campaigns.get(year)
    if args.roster:
        listed = roster.units(campaign)
        if not listed:
            raise AppError(f"{year} 年度的报送单位名单是空的,请先在“报送进度”页添加单位(或导入时新建单位)。")
        folder.mkdir(parents=True, exist_ok=True)
        written = xlsx_template.write_templates(campaign, folder, listed)
        print(f"已为 {year} 年度名单中的 {len(written)} 个单位生成填报模板:{folder}")
        return 0
    unit_name = ""
    if args.unit is not None:
        unit = units.find_unit(args.unit)
        unit_name = unit.name if unit else units.normalise_name(args.unit)
        if not unit_name:
            raise AppError("--unit 的单位名称不能为空。")
        if unit is None:
            print(f"提示:单位名录中还没有“{unit_name}”。导入该单位发回的文件时请加 --create-units,或先添加该单位。")
    path = xlsx_template.write_template(campaign, args.output, unit_name=unit_name)
    print(f"已生成 {year} 年度填报模板{'(' + unit_name + ')' if unit_name else ''}:{path}")
    return 0
